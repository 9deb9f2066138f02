// The program of deployment.yaml, as a sketch: a Worker with the health server, whose
// services bound their stop to 20 s (terminationGracePeriodSeconds is 45). Run it here with
// `node scripts/build.mjs && node build/examples/kubernetes/app.js --health-port 9464`.
import { Service } from '../../src/service/service.js';
import { task } from '../../src/service/task.js';
import { Worker } from '../../src/node/worker.js';

class Api extends Service {
  // Each teardown step (onStop, a child, a pending task) waits at most this long.
  static override stopTimeout = '20s';

  @task
  async serve(signal: AbortSignal) {
    // Stands for an HTTP server on port 8000 that drains its requests when told to stop.
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  }
}

class App extends Service {
  static override stopTimeout = '20s';
  override onInitDependencies() {
    return [new Api()];
  }
}

await new Worker(new App()).executeFromCommandline();
