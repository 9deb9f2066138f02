// Trees of any depth (API.md, "Order of things": start, stop and a crash's spread work on
// trees of any depth). A chain of nested services is the deepest tree there is.
import { OneForOneSupervisor, Service } from '../../src/index.js';

const DEPTH = 20_000;

/** A chain root → link 1 → ... → link depth-1; returns every link, root first. */
function chain(depth: number, top: Service = new Service({ name: 'Link0' })): Service[] {
  const links = [top];
  for (let i = 1; i < depth; i++) links.push(links[i - 1]!.addDependency(new Service({ name: `Link${i}` })));
  return links;
}

describe(`A chain of ${DEPTH.toLocaleString('en')} nested services`, () => {
  it('starts every link, then stops every link, deepest first', async () => {
    const links = chain(DEPTH);
    await links[0]!.start();
    expect(links.every((link) => link.state === 'running')).toBeTrue();
    const stopped: string[] = [];
    links[DEPTH - 1]!.state$.subscribe((state) => state === 'shutdown' && stopped.push('deepest'));
    links[0]!.state$.subscribe((state) => state === 'shutdown' && stopped.push('root'));
    await links[0]!.stop();
    expect(links.every((link) => link.state === 'shutdown')).toBeTrue();
    expect(stopped).toEqual(['deepest', 'root']);
  });

  it('carries a crash from its deepest link to the root', async () => {
    const links = chain(DEPTH);
    await links[0]!.start();
    const reason = new Error('deep failure');
    await links[DEPTH - 1]!.crash(reason);
    expect(links[0]!.state).toBe('crashed');
    expect(links[0]!.crashReason).toBe(reason);
    expect(links.every((link) => link.state === 'crashed')).toBeTrue();
    await links[0]!.stop();
    expect(links.every((link) => link.signal.aborted)).toBeTrue();
  });

  it('resets and starts again as a whole (restart)', async () => {
    const links = chain(DEPTH);
    await links[0]!.start();
    await links[0]!.restart();
    expect(links.every((link) => link.state === 'running' && link.restartCount === 1)).toBeTrue();
    await links[0]!.stop();
  });

  it('rejects start() with the error and ends crashed when its deepest link fails to start', async () => {
    const links = chain(DEPTH - 1);
    const failing = new (class Failing extends Service {
      override onStart(): void {
        throw new Error('no disk');
      }
    })();
    links[links.length - 1]!.addDependency(failing);
    await expectAsync(links[0]!.start()).toBeRejectedWithError('no disk');
    expect(links[0]!.state).toBe('crashed');
    expect(links.every((link) => link.state === 'crashed')).toBeTrue();
  });

  it('is restarted by a supervisor when its deepest link crashes', async () => {
    const links = chain(DEPTH);
    const supervisor = new OneForOneSupervisor({ maxRestarts: 3, over: '1m', services: [links[0]!] });
    await supervisor.start();
    await links[DEPTH - 1]!.crash(new Error('deep failure'));
    await new Promise<void>((resolve) => {
      const subscription = links[0]!.state$.subscribe((state) => {
        if (state === 'running' && links[0]!.restartCount === 1) {
          queueMicrotask(() => subscription.unsubscribe());
          resolve();
        }
      });
    });
    expect(links.every((link) => link.state === 'running')).toBeTrue();
    expect(supervisor.history(links[0]!).map((record) => record.action)).toEqual(['restarted']);
    await supervisor.stop();
    expect(links.every((link) => link.state === 'shutdown')).toBeTrue();
  });

  it('walks, traverses and draws as a graph', () => {
    const links = chain(DEPTH);
    const deepest = links[DEPTH - 1]!.beacon;
    expect(deepest.depth).toBe(DEPTH);
    expect([...deepest.walk()].length).toBe(DEPTH);
    expect([...links[0]!.beacon.traverse()].length).toBe(DEPTH);
    const graph = links[0]!.beacon.asGraph();
    expect(graph.toDot().split('->').length - 1).toBe(DEPTH - 1);
    expect(graph.toMermaid().split('-->').length - 1).toBe(DEPTH - 1);
  });
});
