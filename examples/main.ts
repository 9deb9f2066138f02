// A small tree of services whose every transition is printed as it happens.
// Run it with `npm run example:tree`; Ctrl-C stops the tree, children in reverse order.
import { interval, tap } from 'rxjs';
import { Service, task } from '../src/index.js';

class Heartbeat extends Service {
  @task beat() {
    return interval(1_000, this.scheduler).pipe(tap((n) => console.log(`  ${this.label}: beat ${n + 1}`)));
  }
}

class Cache extends Service {
  readonly entries = new Map<string, string>();
  override async onStart() {
    this.entries.set('greeting', 'hello');
  }
  override onShutdown() {
    this.entries.clear();
  }
}

class App extends Service {
  override onInitDependencies() {
    return [new Cache(), new Heartbeat()];
  }
}

const app = new App();
app.events$.subscribe(({ label, from, to }) => console.log(`${label}: ${from} -> ${to}`));
process.once('SIGINT', () => {
  console.log('\nStopping on signal received...');
  void app.stop();
});
await app.start();
console.log('App is running; press Ctrl-C to stop it.');
await app.waitUntilStopped();
