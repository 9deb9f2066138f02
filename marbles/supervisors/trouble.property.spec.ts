import fc from 'fast-check';
import { NEVER } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { Service, type ServiceOptions } from '../../src/service/service.js';
import { OneForOneSupervisor } from '../../src/supervisors/one-for-one.js';

/**
 * A service whose stop hangs once `hangs` is set: its onStop and onShutdown each never
 * settle, so stop() gives up on each after stopTimeout, and the whole stop takes twice
 * that: longer than a supervisor waits for it.
 */
class Probe extends Service {
  static override stopTimeout = 5;
  hangs = false;
  constructor(options: ServiceOptions) {
    super(options);
  }
  override onStop() {
    return this.hangs ? NEVER : undefined;
  }
  override onShutdown() {
    return this.hangs ? NEVER : undefined;
  }
}

/** Keeps every record: the budget is checked over the whole run. */
class Keeping extends OneForOneSupervisor {
  static override historyLimit = 10_000;
}

type Command =
  | { kind: 'crash'; sup: number; service: number; after: number }
  | { kind: 'hang'; sup: number; service: number; after: number }
  | { kind: 'add'; sup: number; after: number };

// Gaps short against Probe's stopTimeout (5 ms), so crashes land while stops hang.
const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('crash' as const), sup: fc.nat(2), service: fc.nat(3), after: fc.nat(4) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('hang' as const), sup: fc.nat(2), service: fc.nat(3), after: fc.nat(4) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('add' as const), sup: fc.nat(2), after: fc.nat(4) }) },
);
const supervisorArb = fc.record({
  services: fc.integer({ min: 1, max: 3 }),
  maxRestarts: fc.integer({ min: 1, max: 10 }),
  over: fc.integer({ min: 5, max: 60 }),
});

/** The most restarts within any half-open span of `over`. */
function busiestWindow(times: number[], over: number): number {
  return Math.max(0, ...times.map((t) => times.filter((r) => r >= t && r < t + over).length));
}

describe('supervisors under trouble (property, virtual time)', () => {
  it('under any crashes, hung stops and adds, each supervisor reacts to every crash of a service that is not hung, within its budget', async () => {
    await fc.assert(fc.asyncProperty(fc.array(supervisorArb, { minLength: 1, maxLength: 3 }), fc.array(commandArb, { maxLength: 30 }),
      async (specs, commands) => {
        const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
        scheduler.maxFrames = Number.POSITIVE_INFINITY;
        let made = 0;
        const probe = () => new Probe({ name: `p${made++}`, scheduler });
        const supervisors = specs.map((spec) => new Keeping({
          scheduler, maxRestarts: spec.maxRestarts, over: spec.over,
          services: Array.from({ length: spec.services }, probe),
        }));
        for (const supervisor of supervisors) await supervisor.start();
        let at = 0;
        const missed: string[] = [];
        for (const command of commands) {
          at += command.after;
          const supervisor = supervisors[command.sup % supervisors.length]!;
          scheduler.schedule(() => {
            const services = supervisor.services as Probe[];
            if (command.kind === 'add') {
              void supervisor.add(probe());
              return;
            }
            const service = services[command.service % Math.max(1, services.length)];
            if (!service) return;
            if (command.kind === 'hang') {
              service.hangs = true;
              return;
            }
            if (service.state !== 'running') return;
            void service.crash(new Error(`at ${scheduler.now()}`));
            // The crash of a service whose stop does not hang is reacted to in its frame
            // (the supervisor's reaction was scheduled by the crash, before this check),
            // whatever else hangs meanwhile; unless it was one too many (the supervisor
            // then stops everything, hung services included, before it crashes).
            scheduler.schedule(() => {
              if (service.hangs || supervisor.state !== 'running' || !supervisor.services.includes(service)) return;
              if (supervisor.services.some((s) => supervisor.history(s).some((r) => r.action === 'escalated'))) return;
              if (service.state !== 'running') missed.push(`${service.label} crashed at ${scheduler.now()}: ${service.state}`);
            });
          }, at);
        }
        scheduler.flush();

        // Problems are thrown, not expected, so that fast-check shrinks to the smallest case.
        const problems = [...missed];
        for (const [i, supervisor] of supervisors.entries()) {
          const spec = specs[i]!;
          const services = supervisor.services as Probe[];
          const restarts = services.flatMap((s) => supervisor.history(s)).filter((r) => r.action === 'restarted').map((r) => r.at);
          if (busiestWindow(restarts, spec.over) > spec.maxRestarts) {
            problems.push(`supervisor ${i}: more than ${spec.maxRestarts} restarts within ${spec.over} ms: ${restarts.join(', ')}`);
          }
          if (supervisor.state !== 'running') {
            // It gave up: only when a restart found the window full.
            if (supervisor.state !== 'crashed') problems.push(`supervisor ${i} is ${supervisor.state}`);
            continue;
          }
          // Once every stop has ended, hung ones included, every service is back.
          for (const service of services) {
            if (service.state !== 'running') problems.push(`supervisor ${i}: ${service.label} is ${service.state} at the end`);
          }
        }
        if (problems.length > 0) throw new Error(problems.join('\n'));
      }), { numRuns: 200 });
  });
});
