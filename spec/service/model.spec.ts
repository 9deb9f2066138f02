import fc from 'fast-check';
import { NEVER, finalize } from 'rxjs';
import { Service, type ServiceState, task } from '../../src/index.js';
import { illegalTransition, inspectService } from '../../src/testing/index.js';

/** What every service in the model logs, in one shared journal. */
interface World {
  journal: string[];
  services: Node[];
  /** Resets each service went through, as the model counts them. */
  resets: Map<Node, number>;
  histories: Map<Node, ServiceState[]>;
  liveObservableTasks: Map<Node, number>;
  abortListeners: Map<Node, number>;
}

class Node extends Service {
  constructor(
    private readonly world: World,
    name: string,
  ) {
    super({ name });
    world.services.push(this);
    world.resets.set(this, 0);
    world.liveObservableTasks.set(this, 0);
    world.abortListeners.set(this, 0);
    const history: ServiceState[] = [];
    world.histories.set(this, history);
    this.state$.subscribe((state) => history.push(state));
  }

  override onStart() {
    this.world.journal.push(`start:${this.label}`);
  }

  override onStop() {
    this.world.journal.push(`stop:${this.label}`);
  }

  @task watch() {
    const live = this.world.liveObservableTasks;
    live.set(this, live.get(this)! + 1);
    return NEVER.pipe(finalize(() => live.set(this, live.get(this)! - 1)));
  }

  @task async hold(signal: AbortSignal) {
    const listeners = this.world.abortListeners;
    listeners.set(this, listeners.get(this)! + 1);
    await new Promise<void>((resolve) =>
      signal.addEventListener(
        'abort',
        () => {
          listeners.set(this, listeners.get(this)! - 1);
          resolve();
        },
        { once: true },
      ),
    );
  }
}

const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
const quietly = async (work: Promise<unknown>) => {
  try {
    await work;
  } catch {
    // The model checks states and leaks, not which call rejected.
  }
};

/** Every service and its descendants, as the tree stands now. */
function subtree(service: Service): Service[] {
  return [...service.beacon.traverse()].map((b) => b.data as Service);
}

/** Throws (so fast-check sees the failure and shrinks it) instead of collecting. */
function ensure(ok: boolean, message: string): void {
  if (!ok) throw new Error(message);
}

function checkInvariants(world: World): void {
  for (const service of world.services) {
    const history = world.histories.get(service)!;
    ensure(illegalTransition(history) === undefined, `${service.label} made an illegal transition: ${history.join(' → ')}`);
    ensure(
      service.restartCount === world.resets.get(service),
      `${service.label}.restartCount is ${service.restartCount}, the model counted ${world.resets.get(service)} resets`,
    );
    if (service.state === 'shutdown' || service.state === 'crashed') {
      const inside = inspectService(service);
      const where = `${service.label} (${service.state})`;
      ensure(inside.workClosed, `${where} still has open task subscriptions`);
      ensure(inside.aborted, `${where} has an AbortSignal not aborted`);
      ensure(inside.liveWork === 0, `${where} has ${inside.liveWork} live tasks or futures`);
      ensure(world.liveObservableTasks.get(service) === 0, `${where} has a live Observable task`);
      ensure(world.abortListeners.get(service) === 0, `${where} has an AbortSignal listener left`);
    }
  }
}

type Command = fc.AsyncCommand<object, World>;

const pick = (world: World, index: number) => world.services[index % world.services.length]!;

class Start implements Command {
  constructor(readonly index: number) {}
  check = () => true;
  async run(_: object, world: World) {
    await quietly(pick(world, this.index).start());
    await settle();
    checkInvariants(world);
  }
  toString = () => `start(${this.index})`;
}

class Stop implements Command {
  constructor(readonly index: number) {}
  check = () => true;
  async run(_: object, world: World) {
    const service = pick(world, this.index);
    // stop() on a service in init does nothing, so only a running one stops its children.
    const running = service.state === 'running' ? service.children.filter((child) => child.state === 'running') : [];
    const startedAt = (s: Service) => world.journal.lastIndexOf(`start:${s.label}`);
    const startOrder = [...running].sort((a, b) => startedAt(a) - startedAt(b)).map((s) => s.label);
    const mark = world.journal.length;
    await quietly(service.stop());
    await settle();
    const stopOrder = world.journal
      .slice(mark)
      .filter((entry) => entry.startsWith('stop:'))
      .map((entry) => entry.slice(5))
      .filter((label) => startOrder.includes(label));
    const expected = [...startOrder].reverse();
    ensure(
      stopOrder.join() === expected.join(),
      `children of ${service.label} stopped as ${stopOrder.join()}, expected ${expected.join()}`,
    );
    checkInvariants(world);
  }
  toString = () => `stop(${this.index})`;
}

class Restart implements Command {
  constructor(readonly index: number) {}
  check = () => true;
  async run(_: object, world: World) {
    const service = pick(world, this.index);
    if (service.state === 'stopping') return;
    const resetting = subtree(service) as Node[];
    const before = resetting.map((s) => s.restartCount);
    const outcome = await service.restart().then(
      () => 'resolved',
      (error: Error) => error.name,
    );
    // serviceReset is all or nothing: every service of the subtree counts one reset, or none does.
    const deltas = resetting.map((s, i) => s.restartCount - before[i]!);
    const delta = deltas[0]!;
    ensure(deltas.every((d) => d === delta) && (delta === 0 || delta === 1), `restart(${service.label}) reset unevenly: ${deltas.join()}`);
    ensure(outcome !== 'resolved' || delta === 1, `restart(${service.label}) resolved without a reset`);
    ensure(delta === 1 || outcome === 'ServiceStateError', `restart(${service.label}) refused the reset with ${outcome}`);
    for (const s of resetting) world.resets.set(s, world.resets.get(s)! + delta);
    await settle();
    checkInvariants(world);
  }
  toString = () => `restart(${this.index})`;
}

class Crash implements Command {
  constructor(readonly index: number) {}
  check = () => true;
  async run(_: object, world: World) {
    await pick(world, this.index).crash(new Error(`crash ${this.index}`));
    await settle();
    checkInvariants(world);
  }
  toString = () => `crash(${this.index})`;
}

class Add implements Command {
  constructor(
    readonly index: number,
    readonly runtime: boolean,
  ) {}
  check = (_: object) => true;
  async run(_: object, world: World) {
    if (world.services.length >= 7) return;
    const parent = pick(world, this.index);
    const child = new Node(world, `S${world.services.length}`);
    if (this.runtime) await quietly(parent.addRuntimeDependency(child));
    else parent.addDependency(child);
    if (this.runtime && parent.state === 'running') ensure(child.state !== 'init', `runtime child of running ${parent.label} not started`);
    await settle();
    checkInvariants(world);
  }
  toString = () => `${this.runtime ? 'addRuntimeDependency' : 'addDependency'}(${this.index})`;
}

class Remove implements Command {
  constructor(readonly index: number) {}
  check = () => true;
  async run(_: object, world: World) {
    const parent = pick(world, this.index);
    const child = parent.children[0];
    if (!child) return;
    await quietly(parent.removeDependency(child));
    ensure(child.beacon.parent === undefined, `${child.label} still attached after removeDependency`);
    ensure(['init', 'shutdown', 'crashed'].includes(child.state), `${child.label} is ${child.state} after removeDependency`);
    await settle();
    checkInvariants(world);
  }
  toString = () => `removeDependency(${this.index})`;
}

describe('Service lifecycle model (fast-check)', () => {
  it('keeps the state machine, the tree and its resources sound for any sequence of calls', async () => {
    const index = fc.nat(20);
    const commands = fc.commands(
      [
        index.map((i) => new Start(i)),
        index.map((i) => new Stop(i)),
        index.map((i) => new Restart(i)),
        index.map((i) => new Crash(i)),
        fc.tuple(index, fc.boolean()).map(([i, runtime]) => new Add(i, runtime)),
        index.map((i) => new Remove(i)),
      ],
      { maxCommands: 25 },
    );
    await fc.assert(
      fc.asyncProperty(commands, async (cmds) => {
        const world: World = {
          journal: [],
          services: [],
          resets: new Map(),
          histories: new Map(),
          liveObservableTasks: new Map(),
          abortListeners: new Map(),
        };
        const root = new Node(world, 'S0');
        root.addDependency(new Node(world, 'S1'));
        await fc.asyncModelRun(() => ({ model: {}, real: world }), cmds);
        for (const service of world.services) await quietly(service.stop());
        await settle();
        checkInvariants(world);
      }),
      { numRuns: 60 },
    );
    expect().nothing(); // fc.assert throws with the shrunk counterexample on any violation
  });
});
