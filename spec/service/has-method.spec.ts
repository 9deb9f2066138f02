import { asyncScheduler } from 'rxjs';
import { hasMethod } from '../../src/service/has-method.js';

describe('hasMethod (how options and contexts are recognised)', () => {
  it('is true only for an object or a function whose member under the key is a function', () => {
    expect(hasMethod(asyncScheduler, 'schedule')).toBeTrue();
    expect(hasMethod({ [Symbol.dispose]() {} }, Symbol.dispose)).toBeTrue();
    expect(hasMethod(Object.assign(() => 1, { now: () => 0 }), 'now')).toBeTrue();
    expect(hasMethod(Object.create({ now: () => 0 }), 'now')).toBeTrue(); // inherited counts
    expect(hasMethod({ now: 5 }, 'now')).toBeFalse();
    expect(hasMethod({}, 'now')).toBeFalse();
    expect(hasMethod(null, 'now')).toBeFalse();
    expect(hasMethod(undefined, Symbol.dispose)).toBeFalse();
    expect(hasMethod('text', 'toString')).toBeFalse(); // a primitive, even one with the method
    expect(hasMethod(5, 'toFixed')).toBeFalse();
  });
});
