import { Beacon } from '../../src/tree/beacon.js';

describe('Beacon', () => {
  it('writes its path with each beacon\'s short label, else its label, else its data as a string', () => {
    const root = new Beacon<unknown>({ label: 'App: long', shortlabel: 'App' });
    const named = root.new({ label: 'Db' });
    const odd = named.new({ label: 5, shortlabel: 6 });
    const leaf = odd.new(null).new(undefined).new(42);
    expect(leaf.path).toBe('App/Db/[object Object]/null/undefined/42');
    expect(String(leaf)).toBe('Beacon: App/Db/[object Object]/null/undefined/42');
  });

  it('refuses a move that would make a cycle, naming both beacons', () => {
    const root = new Beacon('root');
    const child = root.new('child');
    const grandchild = child.new('grandchild');
    expect(() => root.reattach(root)).toThrowError(TypeError, 'cannot attach root to itself');
    expect(() => child.reattach(grandchild)).toThrowError(TypeError, 'cannot attach child under grandchild: that would make a cycle');
    expect(grandchild.path).toBe('root/child/grandchild');
  });

  it('leaves its siblings where they are when it is detached or moved', () => {
    const root = new Beacon('root');
    const [a, b, c] = ['a', 'b', 'c'].map((name) => root.new(name));
    b!.detach();
    expect(root.children.map((x) => x.data)).toEqual(['a', 'c']);
    expect(b!.parent).toBeUndefined();
    b!.detach();
    expect(root.children.map((x) => x.data)).toEqual(['a', 'c']);
    c!.reattach(a!);
    expect(root.children.map((x) => x.data)).toEqual(['a']);
    expect(a!.children.map((x) => x.data)).toEqual(['c']);
    a!.detach();
    expect(root.children).toEqual([]);
  });
});
