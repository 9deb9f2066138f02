import fc from 'fast-check';
import { Beacon } from '../../src/tree/beacon.js';
import { PathNames } from '../../src/node/live/path-names.js';

const named = (label: string) => ({ label });

describe('PathNames (a service\'s path: App/Webserver, #2 for a repeated label)', () => {
  it('joins the labels from the root down, and numbers a label repeated among siblings', () => {
    const app = new Beacon(named('App'));
    const web = app.new(named('Webserver'));
    const w1 = app.new(named('Worker'));
    const w2 = app.new(named('Worker'));
    const w3 = app.new(named('Worker'));
    const inner = w2.new(named('Worker'));
    const names = new PathNames(app);
    expect([app, web, w1, w2, w3, inner].map((b) => names.pathOf(b))).toEqual([
      'App', 'App/Webserver', 'App/Worker', 'App/Worker#2', 'App/Worker#3', 'App/Worker#2/Worker',
    ]);
    expect(names.size).toBe(6);
    expect([...names.beacons()][0]).toBe(app);
  });

  it('keeps a path while its service stays, whatever its siblings do; a newcomer takes the lowest number free', () => {
    const app = new Beacon(named('App'));
    const [a, b, c] = [app.new(named('W')), app.new(named('W')), app.new(named('W'))];
    const names = new PathNames(app);
    a.detach();
    expect(names.remove(a, app)).toBe('App/W');
    expect(names.pathOf(a)).toBeUndefined();
    expect(names.pathOf(b)).toBe('App/W#2');
    expect(names.pathOf(c)).toBe('App/W#3');
    const d = app.new(named('W'));
    expect(names.add(d)).toBe('App/W');
    const e = app.new(named('W'));
    expect(names.add(e)).toBe('App/W#4');
    c.detach();
    names.remove(c, app);
    e.detach();
    names.remove(e, app);
    expect(names.add(app.new(named('W')))).toBe('App/W#3');
  });

  it('names and forgets whole subtrees, and ignores what is not under its root', () => {
    const app = new Beacon(named('App'));
    const names = new PathNames(app);
    const sub = new Beacon(named('Sup'));
    const leaf = sub.new(named('Leaf'));
    expect(names.add(sub)).toBeUndefined(); // no parent yet
    sub.reattach(app);
    expect(names.add(sub)).toBe('App/Sup');
    expect(names.add(sub)).toBeUndefined(); // named already
    expect(names.pathOf(leaf)).toBe('App/Sup/Leaf');
    const elsewhere = new Beacon(named('Other')).new(named('X'));
    expect(names.add(elsewhere)).toBeUndefined();
    sub.detach();
    expect(names.remove(sub, app)).toBe('App/Sup');
    expect(names.pathOf(leaf)).toBeUndefined();
    expect(names.remove(sub, app)).toBeUndefined();
    expect(names.remove(app, app)).toBeUndefined(); // the root stays
    expect(names.size).toBe(1);
  });

  it('falls back to the class name, then to String(data), for a label', () => {
    // A name no other spec uses: the browser bundle renames classes that clash.
    class PathNamesCache {}
    const root = new Beacon<unknown>('root');
    const cache = root.new(new PathNamesCache());
    expect(new PathNames(root).pathOf(cache)).toBe('root/PathNamesCache');
  });

  it('property: after any joins and leaves, paths are unique, follow the tree, and name every beacon in it', () => {
    const ops = fc.array(
      fc.oneof(
        fc.record({ op: fc.constant('add' as const), parent: fc.nat(), label: fc.constantFrom('A', 'B', 'C') }),
        fc.record({ op: fc.constant('remove' as const), which: fc.nat() }),
      ),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(ops, (list) => {
        const root = new Beacon(named('R'));
        const names = new PathNames(root);
        for (const step of list) {
          const all = [...root.traverse()];
          if (step.op === 'add') {
            const child = new Beacon(named(step.label), all[step.parent % all.length]);
            names.add(child);
          } else if (all.length > 1) {
            const gone = all[1 + (step.which % (all.length - 1))]!;
            const parent = gone.parent!;
            gone.detach();
            names.remove(gone, parent);
          }
        }
        const all = [...root.traverse()];
        expect(names.size).toBe(all.length);
        const paths = all.map((b) => names.pathOf(b)!);
        expect(new Set(paths).size).toBe(all.length);
        for (const beacon of all.slice(1)) {
          const path = names.pathOf(beacon)!;
          const label = (beacon.data as { label: string }).label;
          expect(path).toMatch(new RegExp(`^${escape(names.pathOf(beacon.parent!)!)}/${label}(#[2-9]\\d*|#1\\d+)?$`));
        }
      }),
      { numRuns: 200 },
    );
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
