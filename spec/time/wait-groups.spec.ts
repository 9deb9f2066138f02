import { type SchedulerAction, type SchedulerLike, Subscription } from 'rxjs';
import { type GroupWaiter, type GroupWork, CLOCK_ORIGIN, WaitGroups, compact, groupTimerWaitsOn, groupsOn, wakeGroup } from '../../src/time/wait-groups.js';
import { MAX_TIMEOUT_MS } from '../../src/time/wake-at.js';

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
    group.leave(a!);
    wakeGroup(group);
    expect(woken).toEqual(['b']);

    groups.join(a!, scheduler, 300, 100, noWork);
    a!.group!.leave(a!);
    expect(scheduler.scheduled.at(-1)!.closed).toBeTrue();
  });
});

describe('A group that wakes', () => {
  it('does not wake a waiter that another waiter stopped while it woke; that last one out cancels nothing', () => {
    const scheduler = recordingScheduler();
    const groups = new WaitGroups();
    const woken: string[] = [];
    const b = waiter('b', woken);
    // a's wake stops b, as a tick that unsubscribes another timer due at the same moment.
    const a: GroupWaiter = { group: undefined, wake: () => (woken.push('a'), b.group!.leave(b)) };
    groups.join(a, scheduler, 100, 100, noWork);
    groups.join(b, scheduler, 100, 100, noWork);
    const group = a.group!;
    expect(() => wakeGroup(group)).not.toThrow();
    expect(woken).toEqual(['a']);
    expect(b.group).toBeUndefined();
    expect(scheduler.scheduled[0]!.closed).withContext('the action that fired is left to its scheduler').toBeFalse();
  });
});

describe('groupTimerWaitsOn', () => {
  it('shares a scheduler\'s waits until what it returns undoes it; on a scheduler already shared, it changes nothing and neither does its undo', () => {
    const scheduler = recordingScheduler();
    expect(groupsOn(scheduler)).toBeUndefined();
    const undo = groupTimerWaitsOn(scheduler);
    const groups = groupsOn(scheduler);
    expect(groups).toBeInstanceOf(WaitGroups);
    const again = groupTimerWaitsOn(scheduler);
    expect(groupsOn(scheduler)).toBe(groups);
    again();
    expect(groupsOn(scheduler)).withContext('the second call shared nothing, so undoes nothing').toBe(groups);
    undo();
    expect(groupsOn(scheduler)).toBeUndefined();
  });
});

describe('WaitGroups.wait', () => {
  it('joins the group due at the moment, counted from CLOCK_ORIGIN, for a delay within one native timer', () => {
    const scheduler = recordingScheduler();
    const groups = new WaitGroups();
    const [a, b] = ['a', 'b'].map((name) => waiter(name, []));
    // The scheduler's clock reads 0: 500 is 500 ms from now.
    expect(groups.wait(a!, scheduler, 500)).toBeTrue();
    expect(a!.group!.due).toBe(500 - CLOCK_ORIGIN);
    expect(groups.wait(b!, scheduler, 500, 7)).toBeTrue();
    expect(b!.group).toBe(a!.group);
    expect(scheduler.scheduled.length).toBe(1);
    expect(groups.wait(waiter('max', []), scheduler, 0, MAX_TIMEOUT_MS)).toBeTrue();
  });

  it('refuses a wait that is due (no delay left) or longer than one native timer: the caller waits on its own', () => {
    const scheduler = recordingScheduler();
    const groups = new WaitGroups();
    for (const [at, delay] of [
      [0, 0],
      [0, -1],
      [0, MAX_TIMEOUT_MS + 1],
      [0, Number.NaN],
    ] as const) {
      const w = waiter('w', []);
      expect(groups.wait(w, scheduler, at, delay)).withContext(`delay ${delay}`).toBeFalse();
      expect(w.group).toBeUndefined();
    }
    // With no delay given, it is what is left until `at` on the scheduler's clock (0 here).
    expect(groups.wait(waiter('past', []), scheduler, -5)).toBeFalse();
    expect(scheduler.scheduled.length).toBe(0);
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
