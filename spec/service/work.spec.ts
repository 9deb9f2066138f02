import { NEVER, Observable, Subject, VirtualTimeScheduler, finalize, of, throwError } from 'rxjs';
import { Service, task } from '../../src/index.js';
import { tasksFollowedAcrossAwaits } from '../../src/service/work-scope.js';
import { inspectService } from '../../src/testing/index.js';
import { LEVEL, Recorder, aborted, captureLogger, context, deferred, isSettled, settle } from '../support/fixtures.js';

describe('@task', () => {
  it('subscribes an Observable task after onStart, before the children, and unsubscribes it on stop before onStop', async () => {
    const calls: string[] = [];
    class Worker extends Recorder {
      @task watch() {
        calls.push('subscribe');
        return NEVER.pipe(finalize(() => calls.push('unsubscribe')));
      }
    }
    const svc = new Worker(calls, 'W');
    svc.addDependency(new Recorder(calls, 'C'));
    await svc.start();
    expect(calls).toEqual(['W.onFirstStart', 'W.onStart', 'subscribe', 'C.onFirstStart', 'C.onStart', 'C.onStarted', 'W.onStarted']);
    calls.length = 0;
    await svc.stop();
    expect(calls).toEqual(['unsubscribe', 'W.onStop', 'C.onStop', 'C.onShutdown', 'W.onShutdown']);
  });

  it('gives a Promise task the service AbortSignal and waits for it on stop, before the contexts exit', async () => {
    const calls: string[] = [];
    const release = deferred();
    let given: AbortSignal | undefined;
    class Worker extends Service {
      override onStart() {
        this.addContext(context(calls, 'ctx'));
      }
      @task async drain(signal: AbortSignal) {
        given = signal;
        await aborted(signal);
        calls.push('aborted');
        await release.promise;
        calls.push('drained');
      }
    }
    const svc = new Worker();
    await svc.start();
    expect(given).toBe(svc.signal);
    const stopping = svc.stop();
    expect(await isSettled(stopping)).toBeFalse();
    expect(calls).toEqual(['aborted']);
    release.resolve();
    await stopping;
    expect(calls).toEqual(['aborted', 'drained', 'exit ctx']);
  });

  it('names, after stopTimeout, only the Promise work it waited for: not a task that called stop() and hangs', async () => {
    const scheduler = new VirtualTimeScheduler();
    const { logger, lines } = captureLogger();
    class Hangers extends Service {
      static override stopTimeout = '2s';
      @task hang() {
        return new Promise<void>(() => undefined);
      }
      @task async quitter() {
        void this.stop(); // before its first await: excused on every line, so not waited for
        await new Promise<void>(() => undefined);
      }
    }
    const svc = new Hangers({ name: 'Hangers', scheduler, logger });
    await svc.start();
    await settle();
    expect(svc.state).toBe('stopping');
    scheduler.flush();
    await settle();
    await svc.stop();
    expect(scheduler.now()).toBe(2_000);
    const pending = lines.filter((line) => line.level === LEVEL.warn && line.msg?.startsWith('Still pending'));
    expect(pending.map((line) => line.msg)).toEqual(['Still pending after 2000 ms: Hangers.hang']);
  });

  it('hands the AbortSignal to a task that declares a parameter; one that declares none reads the same one from this.signal', async () => {
    const seen: unknown[][] = [];
    class Worker extends Service {
      @task async takes(signal: AbortSignal) {
        seen.push(['takes', signal]);
      }
      @task async none(...args: unknown[]) {
        seen.push(['none', args.length, this.signal]);
      }
    }
    const svc = new Worker();
    await svc.start();
    expect(seen).toEqual([['takes', svc.signal], ['none', 0, svc.signal]]);
    await svc.stop();
    expect(svc.signal.aborted).toBeTrue();
  });

  it('stops waiting for a Promise task after stopTimeout and logs it by name', async () => {
    const scheduler = new VirtualTimeScheduler();
    const { logger, lines } = captureLogger();
    class Stubborn extends Service {
      static override stopTimeout = '2s';
      @task hang() {
        return new Promise<void>(() => undefined);
      }
      @task async quick(signal: AbortSignal) {
        await aborted(signal);
      }
    }
    const svc = new Stubborn({ name: 'Stubborn', scheduler, logger });
    await svc.start();
    const stopping = svc.stop();
    await settle();
    expect(svc.state).toBe('stopping');
    // Virtual time, so the wait is exact: still waiting 1 ms before stopTimeout...
    scheduler.maxFrames = 1_999;
    scheduler.flush();
    await settle();
    expect(await isSettled(stopping)).toBeFalse();
    expect(svc.state).toBe('stopping');
    // ...and done at stopTimeout (2 s, not the 60 s of shutdownTimeout or the default 10 s).
    scheduler.maxFrames = 2_000;
    scheduler.flush();
    await settle();
    expect(await isSettled(stopping)).toBeTrue();
    expect(scheduler.now()).toBe(2_000);
    scheduler.maxFrames = Number.POSITIVE_INFINITY; // lets a wrong, longer wait end too
    scheduler.flush();
    await stopping;
    expect(svc.state).toBe('shutdown');
    const warnings = lines.filter((line) => line.level === LEVEL.warn);
    expect(warnings.length).toBe(1);
    expect(warnings[0]!.msg).toContain('Still pending after 2000 ms');
    expect(warnings[0]!.msg).toContain('Stubborn.hang');
    expect(warnings[0]!.msg).not.toContain('Stubborn.quick');
  });

  it('calls a task that returns nothing once and keeps the service running', async () => {
    let calls = 0;
    class Once extends Service {
      @task once() {
        calls++;
      }
    }
    const svc = new Once();
    await svc.start();
    await settle();
    expect(calls).toBe(1);
    expect(svc.state).toBe('running');
    expect(svc.tracebacks()).toEqual({});
    await svc.stop();
    expect(calls).toBe(1);
  });

  it('crashes the service when a task throws synchronously', async () => {
    const boom = new Error('sync task');
    class Failing extends Service {
      @task fail() {
        throw boom;
      }
    }
    const svc = new Failing();
    await svc.start().catch(() => undefined);
    await settle();
    expect(svc.state).toBe('crashed');
    expect(svc.crashReason).toBe(boom);
  });

  it('treats the AbortError of a stop as the normal way out, not a crash', async () => {
    class Fetcher extends Service {
      @task async fetch(signal: AbortSignal) {
        await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
      }
    }
    const svc = new Fetcher();
    await svc.start();
    await svc.stop();
    await settle();
    expect(svc.state).toBe('shutdown');
    expect(svc.crashReason).toBeUndefined();
  });

  it('crashes a stopping service when a Promise task fails after the stop with anything but an AbortError', async () => {
    for (const reason of [new Error('cleanup failed'), null, undefined]) {
      class Sloppy extends Service {
        @task async fetch(signal: AbortSignal) {
          await aborted(signal);
          throw reason;
        }
      }
      const svc = new Sloppy();
      await svc.start();
      await svc.stop();
      expect(svc.state).withContext(String(reason)).toBe('crashed');
      expect(svc.crashReason).withContext(String(reason)).toBe(reason);
    }
  });

  it('never calls the later tasks of a service that an earlier task stopped as it began', async () => {
    const called: string[] = [];
    class Quitter extends Service {
      @task first() {
        called.push('first');
        void this.stop();
      }
      @task second() {
        called.push('second');
      }
    }
    const svc = new Quitter();
    await svc.start();
    await svc.waitUntilStopped();
    expect(svc.state).toBe('shutdown');
    expect(called).toEqual(['first']);
  });

  it('crashes on an AbortError that does not come from a stop', async () => {
    const abort = new AbortController();
    class Fetcher extends Service {
      @task async fetch() {
        await new Promise((_, reject) => abort.signal.addEventListener('abort', () => reject(abort.signal.reason), { once: true }));
      }
    }
    const svc = new Fetcher();
    await svc.start();
    abort.abort();
    await settle();
    expect(svc.state).toBe('crashed');
    expect((svc.crashReason as Error).name).toBe('AbortError');
  });

  it('starts tasks in declaration order, base class first', async () => {
    const order: string[] = [];
    class Base extends Service {
      @task b1() { order.push('b1'); }
      @task b2() { order.push('b2'); }
    }
    class Sub extends Base {
      @task s1() { order.push('s1'); }
      @task s2() { order.push('s2'); }
    }
    const svc = new Sub();
    await svc.start();
    expect(order).toEqual(['b1', 'b2', 's1', 's2']);
    await svc.stop();
  });

  it("replaces the base's task when a subclass redeclares it", async () => {
    const order: string[] = [];
    class Base extends Service {
      @task first() { order.push('Base.first'); }
      @task second() { order.push('Base.second'); }
    }
    class Sub extends Base {
      @task override first() { order.push('Sub.first'); }
    }
    const svc = new Sub();
    await svc.start();
    expect(order).toEqual(['Sub.first', 'Base.second']);
    await svc.stop();
    const base = new Base();
    await base.start();
    expect(order).toEqual(['Sub.first', 'Base.second', 'Base.first', 'Base.second']);
    await base.stop();
  });

  it('starts the tasks again on restart, each run with its own signal', async () => {
    const signals: AbortSignal[] = [];
    class Worker extends Service {
      @task async run(signal: AbortSignal) {
        signals.push(signal);
        await aborted(signal);
      }
    }
    const svc = new Worker();
    await svc.start();
    await svc.restart();
    expect(signals.length).toBe(2);
    expect(signals[0]!.aborted).toBeTrue();
    expect(signals[1]!.aborted).toBeFalse();
    await svc.stop();
    expect(signals[1]!.aborted).toBeTrue();
  });

  it('does not hang when a Promise task calls stop() before its first await', async () => {
    class SelfStop extends Service {
      static override stopTimeout = '1h';
      @task async run() {
        await this.stop();
      }
    }
    const svc = new SelfStop();
    await svc.start();
    await svc.waitUntilStopped();
    await settle();
    expect(svc.state).toBe('shutdown');
  });

  it('keeps waiting for the other Promise tasks after the ones that called stop(), twice each, have ended', async () => {
    const release = deferred();
    const ended: string[] = [];
    class Quitters extends Service {
      static override stopTimeout = '1h';
      @task async slow() {
        await release.promise; // hears nothing of the stop: the stop must wait for it
        ended.push('slow');
      }
      @task async later() {
        await settle();
        // Excused where tasks are followed (Node 24): it called stop(), so the stop does not wait for it.
        void this.stop();
        void this.stop();
        ended.push('later');
      }
      @task async atOnce() {
        void this.stop(); // before its first await: excused on every line
        void this.stop();
        ended.push('atOnce');
      }
    }
    const svc = new Quitters();
    await svc.start();
    await settle();
    await settle();
    expect(ended).toEqual(['atOnce', 'later']);
    const stopping = svc.stop();
    expect(await isSettled(stopping)).withContext('stopped before the slow task ended').toBeFalse();
    expect(svc.state).toBe('stopping');
    release.resolve();
    await stopping;
    expect(ended).toEqual(['atOnce', 'later', 'slow']);
    expect(svc.state).toBe('shutdown');
  });

  it('does not hang when a Promise task awaits the stop of its own service, which waits for an async onStop first', async () => {
    // By the time the stop looks for Promise work to wait for, the task is tracked: it must
    // be known as the one that asked for the stop.
    class SelfStop extends Service {
      static override stopTimeout = '1h';
      override async onStop() {
        await settle();
      }
      @task async run() {
        await this.stop();
      }
    }
    const svc = new SelfStop();
    await svc.start();
    await svc.waitUntilStopped();
    expect(svc.state).toBe('shutdown');
  });

  it('still waits for a Promise task that stopped another service, when its own service stops', async () => {
    const other = new Service({ name: 'Other' });
    const gate = deferred();
    let finished = false;
    class Stopper extends Service {
      static override stopTimeout = '1h';
      @task async run() {
        void other.stop();
        await gate.promise;
        finished = true;
      }
    }
    await other.start();
    const svc = new Stopper();
    await svc.start();
    const stopping = svc.stop();
    expect(await isSettled(stopping)).toBeFalse();
    gate.resolve();
    await stopping;
    expect(finished).toBeTrue();
  });

  it('does not hang when a Promise task awaits the restart of its own service before its first await', async () => {
    class SelfRestart extends Service {
      static override stopTimeout = '1h';
      override async onStop() {
        await settle();
      }
      @task async run() {
        if (this.restartCount === 0) await this.restart();
      }
    }
    const svc = new SelfRestart();
    await svc.start();
    while (svc.restartCount === 0 || svc.state !== 'running') await settle();
    expect(svc.restartCount).toBe(1);
    await svc.stop();
  });

  it('does not hang when a Promise task starts its stop with `void this.stop()` after an await', async () => {
    class SelfStop extends Service {
      static override stopTimeout = '1h';
      @task async run() {
        await settle();
        void this.stop();
      }
    }
    const svc = new SelfStop();
    await svc.start();
    await svc.waitUntilStopped();
    await settle();
    expect(svc.state).toBe('shutdown');
  });

  it('awaits stop() from a Promise task after an await: at once where tasks are followed, else after stopTimeout', async () => {
    const scheduler = new VirtualTimeScheduler();
    let after = false;
    class SelfStop extends Service {
      static override stopTimeout = '1h';
      @task async run() {
        await settle();
        await this.stop();
        after = true;
      }
    }
    const svc = new SelfStop({ scheduler });
    await svc.start();
    await settle();
    await settle();
    await waitOutStopTimeoutWhereNotFollowed(svc, scheduler);
    expect(svc.state).toBe('shutdown');
    expect(after).toBeTrue();
  });

  it('awaits a stop begun by someone else from a Promise task it woke: not waited for where tasks are followed, else until stopTimeout', async () => {
    const scheduler = new VirtualTimeScheduler();
    let after = false;
    class Woken extends Service {
      static override stopTimeout = '1h';
      @task async run() {
        await this.sleep('1d'); // cut short by the stop below, which already waits for this task
        await this.stop();
        after = true;
      }
    }
    const svc = new Woken({ scheduler });
    await svc.start();
    const stopping = svc.stop();
    await settle();
    await settle();
    await waitOutStopTimeoutWhereNotFollowed(svc, scheduler);
    await stopping;
    expect(scheduler.now()).toBe(tasksFollowedAcrossAwaits ? 0 : 3_600_000);
    expect(svc.state).toBe('shutdown');
    expect(after).toBeTrue();
  });

  it('does not hang when a hook calls stop() and waits for it', async () => {
    class SelfStop extends Service {
      static override stopTimeout = '1h';
      override async onStarted() {
        await this.stop();
      }
    }
    const svc = new SelfStop();
    await svc.start();
    expect(svc.state).toBe('shutdown');
  });

  it('does not hang when an Observable task stops its own service', async () => {
    class SelfStop extends Service {
      @task run() {
        return new Observable<void>(() => {
          void this.stop();
        });
      }
    }
    const svc = new SelfStop();
    await svc.start();
    await svc.waitUntilStopped();
    expect(svc.state).toBe('shutdown');
  });

  it('unsubscribes an Observable task that stopped its own service while it was being subscribed', async () => {
    let ended = 0;
    class SelfStop extends Service {
      @task run() {
        return new Observable<void>(() => {
          void this.stop();
          return () => void ended++;
        });
      }
    }
    const svc = new SelfStop();
    await svc.start();
    await svc.waitUntilStopped();
    expect(ended).toBe(1);
  });
});

describe('Service.addFuture', () => {
  it('resolves to undefined when the stop comes before an Observable future gave a value, and does not crash', async () => {
    const svc = new Service();
    await svc.start();
    const result = svc.addFuture(NEVER);
    await svc.stop();
    expect(await result).toBeUndefined();
    expect(svc.state).toBe('shutdown');
  });

  it('runs an Observable until the stop and resolves to its last value', async () => {
    const svc = new Service();
    await svc.start();
    const source = new Subject<number>();
    let unsubscribed = 0;
    const result = svc.addFuture(source.pipe(finalize(() => unsubscribed++)));
    source.next(1);
    source.next(2);
    expect(await isSettled(result)).toBeFalse();
    await svc.stop();
    expect(await result).toBe(2);
    expect(unsubscribed).toBe(1);
    expect(source.observed).toBeFalse();
  });

  it('resolves to the last value of an Observable that completes on its own', async () => {
    const svc = new Service();
    await svc.start();
    expect(await svc.addFuture(of('a', 'b'))).toBe('b');
    expect(svc.state).toBe('running');
    await svc.stop();
  });

  it('resolves to the value of a Promise, and stop() waits for a pending one before exiting contexts', async () => {
    const calls: string[] = [];
    const svc = new Service();
    await svc.start();
    svc.addContext(context(calls, 'ctx'));
    expect(await svc.addFuture(Promise.resolve(42))).toBe(42);
    const pending = deferred<string>();
    void svc.addFuture(pending.promise.then((value) => (calls.push('future done'), value)));
    const stopping = svc.stop();
    expect(await isSettled(stopping)).toBeFalse();
    expect(calls).toEqual([]);
    pending.resolve('late');
    await stopping;
    expect(calls).toEqual(['future done', 'exit ctx']);
  });

  it('crashes the service and rejects when a Promise future fails', async () => {
    const boom = new Error('future failed');
    const svc = new Service();
    await svc.start();
    await expectAsync(svc.addFuture(Promise.reject(boom))).toBeRejectedWith(boom);
    expect(svc.state).toBe('crashed');
    expect(svc.crashReason).toBe(boom);
  });

  it('reports a failing future nobody awaits by the crash alone, not as an unhandled rejection', async () => {
    const boom = new Error('nobody listens');
    const svc = new Service();
    await svc.start();
    void svc.addFuture(Promise.reject(boom));
    await settle();
    expect(svc.state).toBe('crashed');
    expect(svc.crashReason).toBe(boom);
  });

  it('crashes the service and rejects when an Observable future errors', async () => {
    const boom = new Error('observable future failed');
    const svc = new Service();
    await svc.start();
    await expectAsync(svc.addFuture(throwError(() => boom))).toBeRejectedWith(boom);
    expect(svc.state).toBe('crashed');
    expect(svc.crashReason).toBe(boom);
  });
});

describe('Service tracebacks', () => {
  it('lists pending Promise tasks and futures by name, each with a stack', async () => {
    class Worker extends Service {
      @task async loop(signal: AbortSignal) {
        await aborted(signal);
      }
    }
    const svc = new Worker({ name: 'Worker' });
    await svc.start();
    const pending = deferred();
    void svc.addFuture(pending.promise);
    void svc.addFuture(NEVER);
    const tracebacks = svc.tracebacks();
    const names = Object.keys(tracebacks);
    expect(names.length).toBe(3);
    expect(names).toContain('Worker.loop');
    // Futures are numbered as they are added, from 1, over the whole program.
    const futures = names.filter((name) => /^Worker\.future/.test(name)).map((name) => /^Worker\.future#(\d+)$/.exec(name)?.[1]);
    expect(futures.length).toBe(2);
    const [first, second] = futures.map(Number).sort((a, b) => a - b);
    expect(first).toBeGreaterThanOrEqual(1);
    expect(second).toBe(first! + 1);
    for (const name of names) expect(tracebacks[name]).withContext(name).toMatch(/\S/);
    const human = svc.humanTracebacks();
    expect(human).toContain(`Worker.loop\n${'='.repeat('Worker.loop'.length)}\n${tracebacks['Worker.loop']}`);
    pending.resolve();
    await settle();
    expect(Object.keys(svc.tracebacks()).length).toBe(2);
    await svc.stop();
    expect(svc.tracebacks()).toEqual({});
    expect(svc.humanTracebacks()).toBe('');
  });

  it('a restarted service\'s tasks show where it was restarted, taken at its first restart and kept for the later ones', async () => {
    class Worker extends Service {
      @task async loop(signal: AbortSignal) {
        await aborted(signal);
      }
    }
    const svc = new Worker({ name: 'Worker' });
    await svc.start();
    const first = svc.tracebacks()['Worker.loop'];
    await svc.restart();
    const restarted = svc.tracebacks()['Worker.loop'];
    await svc.restart();
    expect(first).toMatch(/\S/);
    expect(restarted).toMatch(/\S/);
    expect(svc.tracebacks()['Worker.loop']).toBe(restarted);
    await svc.stop();
  });

  it('takes its stacks without changing Error.stackTraceLimit for anyone else', async () => {
    class Worker extends Service {
      @task async loop(signal: AbortSignal) {
        await aborted(signal);
      }
    }
    const engine = Error as { stackTraceLimit?: number };
    const before = engine.stackTraceLimit;
    engine.stackTraceLimit = 7; // not the 40 it takes them with
    try {
      const svc = new Worker({ name: 'Worker' });
      await svc.start();
      void svc.addFuture(NEVER);
      expect(engine.stackTraceLimit).toBe(7);
      await svc.stop();
    } finally {
      engine.stackTraceLimit = before;
    }
  });

  it('lists a pending Observable task while it is subscribed', async () => {
    class Watcher extends Service {
      @task watch() {
        return NEVER;
      }
    }
    const svc = new Watcher();
    await svc.start();
    expect(Object.keys(svc.tracebacks())).toEqual(['Watcher.watch']);
    await svc.stop();
    expect(svc.tracebacks()).toEqual({});
  });

  it('holds nothing of an Observable task that completed as it was subscribed, and shows its tasks closed once all have ended', async () => {
    const ends = new Subject<void>();
    class Brief extends Service {
      @task done() {
        return of(1);
      }
      @task short() {
        return ends;
      }
    }
    const svc = new Brief();
    await svc.start();
    expect(Object.keys(svc.tracebacks())).toEqual(['Brief.short']);
    expect(inspectService(svc)).toEqual(jasmine.objectContaining({ liveWork: 1, workClosed: false }));
    ends.complete();
    expect(inspectService(svc)).toEqual(jasmine.objectContaining({ state: 'running', liveWork: 0, workClosed: true }));
    await svc.stop();
  });

  it('forgets an Observable task that completes on its own, and still lists the others', async () => {
    const ends = new Subject<void>();
    class Watcher extends Service {
      @task short() {
        return ends;
      }
      @task long() {
        return NEVER;
      }
    }
    const svc = new Watcher();
    await svc.start();
    expect(Object.keys(svc.tracebacks()).sort()).toEqual(['Watcher.long', 'Watcher.short']);
    ends.complete();
    expect(Object.keys(svc.tracebacks())).toEqual(['Watcher.long']);
    expect(inspectService(svc).liveWork).toBe(1);
    await svc.stop();
    expect(inspectService(svc)).toEqual(jasmine.objectContaining({ liveWork: 0, workClosed: true }));
  });

  it('forgets an Observable task that fails, and crashes with its error', async () => {
    const fails = new Subject<void>();
    class Watcher extends Service {
      @task watch() {
        return fails;
      }
    }
    const svc = new Watcher();
    await svc.start();
    const error = new Error('lost the feed');
    fails.error(error);
    await settle();
    expect(svc.state).toBe('crashed');
    expect(svc.crashReason).toBe(error);
    expect(svc.tracebacks()).toEqual({});
    expect(inspectService(svc)).toEqual(jasmine.objectContaining({ liveWork: 0, workClosed: true }));
  });
});

describe('Service.fromAwaitable', () => {
  it('runs a Promise when started: start() resolves when it does', async () => {
    const work = deferred<number>();
    const svc = Service.fromAwaitable(work.promise, { name: 'Job' });
    expect(svc.label).toBe('Job');
    const starting = svc.start();
    expect(svc.state).toBe('running');
    expect(await isSettled(starting)).toBeFalse();
    work.resolve(1);
    await starting;
    expect(svc.state).toBe('running');
    await svc.stop();
    expect(svc.state).toBe('shutdown');
  });

  it('ends the awaited work when stopped before it finishes', async () => {
    let unsubscribed = 0;
    const svc = Service.fromAwaitable(NEVER.pipe(finalize(() => unsubscribed++)));
    expect(svc.label).toBe('Awaitable');
    const starting = svc.start();
    await svc.stop();
    await starting;
    expect(unsubscribed).toBe(1);
    expect(svc.state).toBe('shutdown');
  });

  it('crashes and rejects start() when the awaitable fails', async () => {
    const boom = new Error('job failed');
    const svc = Service.fromAwaitable(Promise.reject(boom));
    await expectAsync(svc.start()).toBeRejectedWith(boom);
    expect(svc.state).toBe('crashed');
    expect(svc.crashReason).toBe(boom);
  });

  it('uses the debug mundaneLevel, as mode does', () => {
    const svc = Service.fromAwaitable(of(1));
    expect(svc.mundaneLevel).toBe('debug');
  });
});

describe('tracebacks() (found by the spec suite in the first core)', () => {
  it('tracebacks(): a future shows the stack where it began (the code that called addFuture)', async () => {
    const svc = new Service({ name: 'Futures' });
    await svc.start();
    const pending = deferred();
    function spawnTheFutureHere() {
      return svc.addFuture(pending.promise);
    }
    void spawnTheFutureHere();
    const [stack] = Object.values(svc.tracebacks());
    expect(stack).toContain('spawnTheFutureHere');
    pending.resolve();
    await svc.stop();
  });

  it('tracebacks(): a task shows the stack where it began (the code that started the service)', async () => {
    class Worker extends Service {
      @task async loop(signal: AbortSignal) {
        await aborted(signal);
      }
    }
    const svc = new Worker();
    function startTheWorkerHere() {
      return svc.start();
    }
    await startTheWorkerHere();
    expect(svc.tracebacks()['Worker.loop']).toContain('startTheWorkerHere');
    await svc.stop();
  });

  it('tracebacks(): a declared task shows the line that declared it first (a Worker starts every service from the same place)', async () => {
    // A name no other spec uses: the browser bundle renames classes that clash.
    class DeclaredPoller extends Service {
      @task async poll(signal: AbortSignal) {
        await aborted(signal);
      }
    }
    const svc = new DeclaredPoller();
    await svc.start();
    const [first, ...rest] = svc.tracebacks()['DeclaredPoller.poll']!.split('\n');
    expect(first).toMatch(/^ {4}declared at \S+:\d+:\d+$/);
    expect(first).not.toMatch(/[\\/]service[\\/]task\.[jt]s/);
    expect(rest.length).toBeGreaterThan(0);
    await svc.stop();
  });
});

/**
 * Where tasks are not followed across awaits (the documented browser limit), a task that
 * awaits its service's stop is waited for up to stopTimeout ('1h' here): checks the
 * service is still stopping, then runs the clock to that deadline.
 */
async function waitOutStopTimeoutWhereNotFollowed(svc: Service, scheduler: VirtualTimeScheduler): Promise<void> {
  if (tasksFollowedAcrossAwaits) return;
  expect(svc.state).toBe('stopping');
  scheduler.flush();
  expect(scheduler.now()).toBe(3_600_000);
  await settle();
}
