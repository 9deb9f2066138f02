import { Service } from '../../src/index.js';
import { describeTree } from '../../src/node/tree-dump.js';

describe('describeTree (the SIGUSR1 dump)', () => {
  it('prints a chain of 20,000 nested services, one line each, with the depth beyond 40', () => {
    const links = [new Service({ name: 'Link0' })];
    for (let i = 1; i < 20_000; i++) links.push(links[i - 1]!.addDependency(new Service({ name: `Link${i}` })));
    const lines = describeTree(links[0]!).trimEnd().split('\n');
    expect(lines.length).toBe(1 + 20_000);
    expect(lines[1]).toBe('Link0 [init]');
    expect(lines[2]).toBe('  Link1 [init]');
    expect(lines[20_000]).toBe(`${'  '.repeat(40)}(depth 19999) Link19999 [init]`);
  });

  it('lists children in the order they were added, each under its parent', () => {
    const root = new Service({ name: 'Root' });
    const a = root.addDependency(new Service({ name: 'A' }));
    a.addDependency(new Service({ name: 'A1' }));
    root.addDependency(new Service({ name: 'B' }));
    expect(describeTree(root).split('\n').slice(1, 5)).toEqual(['Root [init]', '  A [init]', '    A1 [init]', '  B [init]']);
  });
});
