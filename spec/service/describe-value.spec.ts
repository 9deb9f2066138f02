import { describeValue } from '../../src/service/describe-value.js';
import { Service } from '../../src/service/service.js';

describe('describeValue (how a TypeError names a bad value)', () => {
  it('names values briefly: strings quoted, objects and functions by kind', () => {
    expect(describeValue('soon')).toBe("'soon'");
    expect(describeValue('')).toBe("''");
    expect(describeValue(42)).toBe('42');
    expect(describeValue(Number.NaN)).toBe('NaN');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(Symbol('web'))).toBe('Symbol(web)');
    expect(describeValue(new Map())).toBe('a Map');
    expect(describeValue([1])).toBe('an Array');
    expect(describeValue({ a: 1 })).toBe('an object {a}');
    expect(describeValue(Object.create(null))).toBe('an object {}');
    expect(describeValue(function tick() {})).toBe('function tick');
    expect(describeValue([() => 1][0])).toBe('function (anonymous)');
    expect(describeValue(/x/)).toBe('a RegExp'); // 'an' only before a vowel that begins the name
  });

  it('names an object by its label too, when it has one as a string', () => {
    class Cache extends Service {}
    expect(describeValue({ label: 'web' })).toBe('web (an object)');
    expect(describeValue(new Cache({ name: 'c1' }))).toBe(`c1 (a ${Cache.name})`); // a bundle may rename the class
    expect(describeValue({ label: 7 })).toBe('an object {label}');
  });

  it("shows a plain object's first three keys, for a misspelt option or a look-alike", () => {
    expect(describeValue({ timout: '1s' })).toBe('an object {timout}');
    expect(describeValue({ a: 1, b: 2, c: 3 })).toBe('an object {a,b,c}');
    expect(describeValue({ a: 1, b: 2, c: 3, d: 4 })).toBe('an object {a,b,c,…}');
    expect(describeValue({ [Symbol.dispose]() {}, n: 1 })).toBe('an object {n}'); // symbols are not shown
    expect(describeValue(new (class Pool { size = 1; })())).toMatch(/^a \w+$/); // a class's instance: by its class only
  });

  it('neither writes an object out nor fails on one that refuses JSON', () => {
    const circular: { self?: unknown } = {};
    circular.self = circular;
    expect(describeValue(circular)).toBe('an object {self}');
    const loop: unknown[] = [];
    loop.push(loop);
    expect(describeValue(loop)).toBe('an Array');
  });
});
