import { Service, type ServiceEvent } from '../../src/index.js';

function record(svc: Service): ServiceEvent[] {
  const events: ServiceEvent[] = [];
  svc.events$.subscribe((event) => events.push(event));
  return events;
}

const brief = (events: ServiceEvent[]) => events.map((e) => `${e.label}:${e.from}>${e.to}`);

describe('Service.events$', () => {
  it('emits every transition of the service and its subtree, with service, label, from, to and at', async () => {
    const root = new Service({ name: 'R' });
    const child = root.addDependency(new Service({ name: 'C' }));
    const grandchild = child.addDependency(new Service({ name: 'G' }));
    const events = record(root);
    await root.start();
    await root.stop();
    expect(brief(events)).toEqual([
      'R:init>running', 'C:init>running', 'G:init>running',
      'R:running>stopping', 'C:running>stopping', 'G:running>stopping', 'G:stopping>shutdown',
      'C:stopping>shutdown', 'R:stopping>shutdown',
    ]);
    expect(events[0]!.service).toBe(root);
    expect(events[1]!.service).toBe(child);
    expect(events[2]!.service).toBe(grandchild);
    for (const event of events) {
      expect(typeof event.at).toBe('number');
      expect('reason' in event).withContext(brief([event])[0]!).toBeFalse();
    }
  });

  it('takes at from the service scheduler', async () => {
    let now = 1000;
    const scheduler = { now: () => now, schedule: () => { throw new Error('not used'); } };
    const svc = new Service({ scheduler: scheduler as never });
    const events = record(svc);
    await svc.start();
    now = 2500;
    await svc.stop();
    expect(events.map((e) => e.at)).toEqual([1000, 2500, 2500]);
  });

  it('carries the reason of a crash, on every service the crash reaches', async () => {
    const root = new Service({ name: 'R' });
    const child = root.addDependency(new Service({ name: 'C' }));
    await root.start();
    const events = record(root);
    const reason = new Error('boom');
    await child.crash(reason);
    expect(brief(events)).toEqual(['R:running>crashed', 'C:running>crashed']);
    expect(events.map((e) => e.reason)).toEqual([reason, reason]);
  });

  it('does not show the transitions of ancestors or siblings to a child', async () => {
    const root = new Service({ name: 'R' });
    const a = root.addDependency(new Service({ name: 'A' }));
    root.addDependency(new Service({ name: 'B' }));
    const events = record(a);
    await root.start();
    await root.stop();
    expect(brief(events)).toEqual(['A:init>running', 'A:running>stopping', 'A:stopping>shutdown']);
  });

  it('includes services added later, and drops those removed', async () => {
    const root = new Service({ name: 'R' });
    const events = record(root);
    await root.start();
    const late = await root.addRuntimeDependency(new Service({ name: 'Late' }));
    const deep = late.addDependency(new Service({ name: 'Deep' }));
    await deep.start();
    expect(brief(events)).toEqual(['R:init>running', 'Late:init>running', 'Deep:init>running']);
    events.length = 0;
    await root.removeDependency(late);
    expect(brief(events)).toEqual([
      'Late:running>stopping', 'Deep:running>stopping', 'Deep:stopping>shutdown', 'Late:stopping>shutdown',
    ]);
    events.length = 0;
    late.serviceReset();
    await late.start();
    expect(events).toEqual([]);
    await late.stop();
    await root.stop();
  });

  it('follows a service moved under another parent', async () => {
    const first = new Service({ name: 'First' });
    const second = new Service({ name: 'Second' });
    const mover = first.addDependency(new Service({ name: 'Mover' }));
    const seenByFirst = record(first);
    const seenBySecond = record(second);
    second.addDependency(mover);
    await mover.start();
    expect(seenByFirst).toEqual([]);
    expect(brief(seenBySecond)).toEqual(['Mover:init>running']);
    await mover.stop();
  });

  it('shows the reset back to init', async () => {
    const svc = new Service({ name: 'S' });
    const events = record(svc);
    await svc.start();
    await svc.restart();
    expect(brief(events)).toEqual([
      'S:init>running', 'S:running>stopping', 'S:stopping>shutdown', 'S:shutdown>init', 'S:init>running',
    ]);
    await svc.stop();
  });
});
