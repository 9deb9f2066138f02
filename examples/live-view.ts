// The live view, to watch: `node scripts/build.mjs && node build/examples/live-view.js`,
// then open http://127.0.0.1:9464/ (or --health-port PORT). A supervised tree where one
// fetcher crashes now and then and comes back, a cache with a drifting timer, and a pool
// of identical workers (numbered #2, #3... in their paths). Ctrl-C stops it.
import { Service } from '../src/service/service.js';
import { OneForOneSupervisor } from '../src/supervisors/one-for-one.js';
import { timer } from '../src/time/decorators.js';
import { Worker } from '../src/node/worker.js';

/** Crashes now and then (about every 12 s); its supervisor restarts it, after a backoff. */
class Fetcher extends Service {
  @timer('500ms')
  poll() {
    if (Math.random() < 0.04) throw new Error('upstream closed the connection');
  }
}

/** A timer whose body sometimes outlasts its interval (counted as overlaps). */
class Cache extends Service {
  @timer('250ms')
  async expire() {
    await this.sleep(Math.random() < 0.2 ? 400 : 10);
  }
}

class PoolWorker extends Service {
  @timer('1s')
  work() {}
}

class App extends Service {
  override onInitDependencies() {
    return [
      new OneForOneSupervisor({
        name: 'Fetchers',
        maxRestarts: 30,
        over: '1m',
        backoff: { initial: 200, max: 2_000 },
        services: [new Fetcher({ name: 'Prices' }), new Fetcher({ name: 'Rates' })],
      }),
      new Cache(),
      new OneForOneSupervisor({
        name: 'Pool',
        services: Array.from({ length: 4 }, () => new PoolWorker({ name: 'PoolWorker' })),
      }),
    ];
  }
}

const args = process.argv.slice(2);
await new Worker(new App(), { health: { port: 9464 } }).executeFromCommandline(args);
