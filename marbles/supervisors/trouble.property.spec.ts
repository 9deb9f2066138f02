import fc from 'fast-check';
import { NEVER } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { Service, type ServiceOptions } from '../../src/service/service.js';
import { OneForOneSupervisor } from '../../src/supervisors/one-for-one.js';

/** A service whose stop hangs forever once `hangs` is set. */
class Probe extends Service {
  static override stopTimeout = 5;
  hangs = false;
  /** Its stop began while it hung: it is never heard of again. */
  hung = false;
  constructor(options: ServiceOptions) {
    super(options);
  }
  override onStop() {
    if (!this.hangs) return undefined;
    this.hung = true;
    return NEVER;
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

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('crash' as const), sup: fc.nat(2), service: fc.nat(5), after: fc.nat(20) }),
  fc.record({ kind: fc.constant('hang' as const), sup: fc.nat(2), service: fc.nat(5), after: fc.nat(20) }),
  fc.record({ kind: fc.constant('add' as const), sup: fc.nat(2), after: fc.nat(20) }),
);
const supervisorArb = fc.record({
  services: fc.integer({ min: 1, max: 3 }),
  maxRestarts: fc.integer({ min: 1, max: 6 }),
  over: fc.integer({ min: 5, max: 100 }),
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
            if (command.kind === 'hang') service.hangs = true;
            else void service.crash(new Error(`at ${scheduler.now()}`));
          }, at);
        }
        scheduler.flush();

        for (const [i, supervisor] of supervisors.entries()) {
          const spec = specs[i]!;
          const services = supervisor.services as Probe[];
          const restarts = services.flatMap((s) => supervisor.history(s)).filter((r) => r.action === 'restarted').map((r) => r.at);
          expect(busiestWindow(restarts, spec.over)).withContext(`supervisor ${i}`).toBeLessThanOrEqual(spec.maxRestarts);
          if (supervisor.state !== 'running') {
            // It gave up: only when a restart found the window full.
            expect(supervisor.state).toBe('crashed');
            continue;
          }
          for (const service of services) {
            if (service.hung) continue;
            expect(service.state).withContext(`supervisor ${i}: ${service.label}`).toBe('running');
          }
        }
      }), { numRuns: 150 });
  });
});
