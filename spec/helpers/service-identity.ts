// Two services are equal only when they are the same service. Jasmine's toEqual compares
// objects by their own enumerable fields, and two services of one class with the same
// counters have the same: `expect(supervisor.services).toEqual([a, b])` passed for [b, a]
// (mutation testing found a reordering no spec noticed). Loaded before every spec, in Node
// (spec/support/jasmine*.json `helpers`) and in Chromium (scripts/test-browser.mjs).
import { Service } from '../../src/service/service.js';

beforeEach(() => {
  jasmine.addCustomEqualityTester((a: unknown, b: unknown) =>
    a instanceof Service || b instanceof Service ? a === b : undefined);
});
