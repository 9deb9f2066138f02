import { type SchedulerAction, type SchedulerLike, Subscription } from 'rxjs';
import { type GroupWaiter, type GroupWork, WaitGroups, compact, leaveGroup, wakeGroup } from '../../src/time/wait-groups.js';

/** A scheduler that only records what is scheduled: the specs fire groups by hand. */
function recordingScheduler(): SchedulerLike & { scheduled: Subscription[] } {
  const scheduled: Subscription[] = [];
  return {
    scheduled,
    now: () => 0,
    schedule() {
      const action = new Subscription();
      scheduled.push(action);
      return action;
    },
  } as unknown as SchedulerLike & { scheduled: Subscription[] };
}

const noWork: GroupWork = function (this: SchedulerAction<never>) {};

function waiter(name: string, woken: string[]): GroupWaiter {
  return { group: undefined, wake: () => void woken.push(name) };
}

describe('WaitGroups', () => {
  it("a fired group's array, emptied, serves the next group: none of its old waiters stays in it", () => {
    const scheduler = recordingScheduler();
    const groups = new WaitGroups();
    const woken: string[] = [];
    const [a, b, c] = ['a', 'b', 'c'].map((name) => waiter(name, woken));
    groups.join(a!, scheduler, 100, 100, noWork);
    groups.join(b!, scheduler, 100, 100, noWork);
    const first = a!.group!;
    expect(b!.group).toBe(first);
    expect(scheduler.scheduled.length).withContext('one wake-up for both').toBe(1);

    wakeGroup(first);
    expect(woken).toEqual(['a', 'b']);
    expect(a!.group).toBeUndefined();

    groups.join(c!, scheduler, 200, 100, noWork);
    const second = c!.group!;
    expect(second).not.toBe(first);
    expect(second.waiters).withContext('the array is reused').toBe(first.waiters);
    expect(second.waiters.filter((w) => w !== undefined)).toEqual([c]);
    wakeGroup(second);
    expect(woken).toEqual(['a', 'b', 'c']);
  });

  it('a waiter that left is not woken; the last one to leave cancels the wake-up', () => {
    const scheduler = recordingScheduler();
    const groups = new WaitGroups();
    const woken: string[] = [];
    const [a, b] = ['a', 'b'].map((name) => waiter(name, woken));
    groups.join(a!, scheduler, 100, 100, noWork);
    groups.join(b!, scheduler, 100, 100, noWork);
    const group = a!.group!;
    leaveGroup(a!);
    wakeGroup(group);
    expect(woken).toEqual(['b']);

    groups.join(a!, scheduler, 300, 100, noWork);
    leaveGroup(a!);
    expect(scheduler.scheduled.at(-1)!.closed).toBeTrue();
  });
});

describe('compact', () => {
  it('gives the same number, whole or not', () => {
    for (const ms of [0, 1, -5, 1234.5, 2 ** 31, -(2 ** 31) - 1, 1e15, Number.MAX_SAFE_INTEGER]) {
      expect(compact(ms)).toBe(ms);
    }
    expect(Object.is(compact(-0), 0)).toBeTrue();
  });
});
