import { interval, tap } from 'rxjs';
import { Service, setupLogging, task, timer } from '../src/index.js';

setupLogging({ level: 'info', pretty: true });  // the default shows warnings only

class Cache extends Service {
  readonly entries = new Map<string, number>();
  @timer('1s') expire() {                       // every second, drift-corrected
    const now = Date.now();
    for (const [k, at] of this.entries) if (at < now) this.entries.delete(k);
  }
}

class App extends Service {
  readonly cache = this.addDependency(new Cache());
  @task heartbeat() {                           // an Observable, unsubscribed on stop
    return interval(5_000, this.scheduler).pipe(tap(() => this.log.info('alive')));
  }
}

const app = new App();
app.events$.subscribe(({ label, from, to }) => console.log(`${label}: ${from} -> ${to}`));
process.once('SIGINT', () => app.stop());       // children stop in reverse order
await app.start();                              // App: init -> running, Cache: init -> running
