import { Beacon } from '../../src/tree/beacon.js';

/** What the graph reads of a service, without a Service. */
export interface FakeService {
  label: string;
  state: string;
  restartCount: number;
}

export function svc(label: string, state = 'running', restartCount = 0): FakeService {
  return { label, state, restartCount };
}

/** mode's tutorial: Worker → App → (Websockets, Webserver, UserCache), plus a tricky label. */
export function tutorialTree(): Beacon<FakeService> {
  const worker = new Beacon(svc('Worker'));
  const app = worker.new(svc('AppService'));
  app.new(svc('Websockets'));
  app.new(svc('Webserver', 'crashed', 2));
  app.new(svc('UserCache', 'stopping'));
  worker.new(svc('say "hi" \\ back\nslash', 'init'));
  return worker;
}
