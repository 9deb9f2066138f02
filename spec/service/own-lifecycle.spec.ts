// A subclass may override start$() or stop$() (to wrap them: a deadline, a log line, a
// metric). Every way a service is started or stopped goes through its override then: its
// own calls, its parent's start and stop, a start's rollback, and restart().
import { type Observable, tap } from 'rxjs';
import { Service, ServiceProxy } from '../../src/index.js';
import { Recorder } from '../support/fixtures.js';

/** A Recorder whose start$ and stop$ say when they are called and when they complete. */
class Wrapped extends Recorder {
  override start$(): Observable<void> {
    this.rec('start$');
    return super.start$().pipe(tap({ complete: () => this.rec('started$') }));
  }
  override stop$(): Observable<void> {
    this.rec('stop$');
    return super.stop$().pipe(tap({ complete: () => this.rec('stopped$') }));
  }
}

describe('A service that overrides start$ or stop$', () => {
  it('is started and stopped through them by its parent, in the order of its siblings', async () => {
    const calls: string[] = [];
    const parent = new Recorder(calls, 'P');
    parent.addDependency(new Recorder(calls, 'A'));
    parent.addDependency(new Wrapped(calls, 'W'));
    parent.addDependency(new Recorder(calls, 'B'));
    await parent.start();
    expect(calls.filter((call) => !call.endsWith('FirstStart'))).toEqual([
      'P.onStart',
      'A.onStart', 'A.onStarted',
      'W.start$', 'W.onStart', 'W.onStarted', 'W.started$',
      'B.onStart', 'B.onStarted',
      'P.onStarted',
    ]);
    calls.length = 0;
    await parent.stop();
    expect(calls).toEqual([
      'P.onStop',
      'B.onStop', 'B.onShutdown',
      'W.stop$', 'W.onStop', 'W.onShutdown', 'W.stopped$',
      'A.onStop', 'A.onShutdown',
      'P.onShutdown',
    ]);
  });

  it('is stopped through stop$ when a later sibling fails to start (the rollback)', async () => {
    const calls: string[] = [];
    class Failing extends Recorder {
      override onStart(): void {
        throw new Error('no');
      }
    }
    const parent = new Recorder(calls, 'P');
    parent.addDependency(new Wrapped(calls, 'W'));
    parent.addDependency(new Failing(calls, 'F'));
    await expectAsync(parent.start()).toBeRejectedWithError('no');
    expect(calls.slice(calls.indexOf('P.onStop'))).toEqual(['P.onStop', 'W.stop$', 'W.onStop', 'W.onShutdown', 'W.stopped$', 'P.onShutdown']);
  });

  it('is restarted through them', async () => {
    const calls: string[] = [];
    const svc = new Wrapped(calls, 'W');
    await svc.start();
    calls.length = 0;
    await svc.restart();
    expect(calls).toEqual(['W.stop$', 'W.onStop', 'W.onShutdown', 'W.stopped$', 'W.onRestart', 'W.start$', 'W.onStart', 'W.onStarted', 'W.started$']);
    expect(svc.state).toBe('running');
    await svc.stop();
  });

  it('is restarted through them when it is a ServiceProxy', async () => {
    const calls: string[] = [];
    class Front extends ServiceProxy {
      protected get service(): Service {
        return new Recorder(calls, 'T');
      }
      override start$(): Observable<void> {
        calls.push('Front.start$');
        return super.start$();
      }
      override stop$(): Observable<void> {
        calls.push('Front.stop$');
        return super.stop$();
      }
    }
    const front = new Front();
    await front.start();
    calls.length = 0;
    await front.restart();
    expect(calls).toEqual(['Front.stop$', 'T.onStop', 'T.onShutdown', 'T.onRestart', 'Front.start$', 'T.onStart', 'T.onStarted']);
    await front.stop();
  });
});
