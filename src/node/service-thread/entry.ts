// The thread side of a ServiceThread: the file a `worker_threads` Worker runs. It makes
// the service from the user's module, tells the parent every transition of its tree, and
// starts it; the parent's 'stop' stops it. Log lines go to the parent as pino's JSON lines,
// so they end up wherever the parent's logging writes, in order with its own.
import { parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { setRootLogger } from '../../logging/logger.js';
import { describeValue } from '../../service/describe-value.js';
import { type FromThread, type ThreadData, type ToThread, toWire } from './protocol.js';

/** What the entry needs of the service: duck-typed, since the user's module may load rxmode from another copy. */
interface ThreadService {
  readonly label: string;
  readonly events$: { subscribe(next: (event: { service: object; label: string; from: string; to: string; at: number; reason?: unknown }) => void): unknown };
  start(): Promise<void>;
  stop(): Promise<void>;
}

const port = parentPort;
if (!port) throw new Error('rxmode: service-thread/entry.js runs inside a ServiceThread worker only');
const data = workerData as ThreadData;
const post = (message: FromThread): void => port.postMessage(message);

setRootLogger(pino({ level: data.logLevel, base: undefined }, { write: (line: string) => post({ type: 'log', line }) }));

let service: ThreadService | undefined;
let stopAsked = false;
let stopping: Promise<void> | undefined;

port.on('message', (message: ToThread) => {
  if (message.type !== 'stop') return;
  stopAsked = true;
  void stopService();
});

/** Stops the service (once), then says how it went; with no service yet there is nothing to stop. */
function stopService(): Promise<void> {
  stopping ??= (async () => {
    try {
      if (service) await service.stop();
      post({ type: 'stopped' });
    } catch (error) {
      post({ type: 'stopped', reason: toWire(error) });
    }
  })();
  return stopping;
}

async function main(): Promise<void> {
  let made: ThreadService;
  try {
    made = await makeService(data);
  } catch (error) {
    post({ type: 'start-failed', reason: toWire(error) });
    return;
  }
  if (stopAsked) return;
  service = made;
  made.events$.subscribe((event) => {
    const message: FromThread = { type: 'event', self: event.service === made, label: event.label, from: event.from as never, to: event.to as never, at: event.at };
    post(event.reason === undefined ? message : { ...message, reason: toWire(event.reason) });
  });
  try {
    await made.start();
  } catch (error) {
    post({ type: 'start-failed', reason: toWire(error) });
    return;
  }
  if (!stopAsked) post({ type: 'started' });
}

async function makeService({ module, exportName, args }: ThreadData): Promise<ThreadService> {
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(module)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`ServiceThread: cannot load ${module}: ${describe(error)}`, { cause: error });
  }
  if (!(exportName in namespace)) {
    const names = Object.keys(namespace);
    throw new TypeError(
      `ServiceThread: ${module} has no export '${exportName}' (it exports ${names.length ? names.map((n) => `'${n}'`).join(', ') : 'nothing'})`,
    );
  }
  const made = await build(namespace[exportName], args, `export '${exportName}' of ${module}`);
  if (!isService(made)) {
    throw new TypeError(`ServiceThread: export '${exportName}' of ${module} made ${describeValue(made)}, not a Service`);
  }
  return made;
}

/** A Service subclass is constructed with `args`; any other function is a factory called with them. */
async function build(exported: unknown, args: unknown, what: string): Promise<unknown> {
  if (typeof exported !== 'function') {
    throw new TypeError(`ServiceThread: ${what} is ${describeValue(exported)}, not a factory function or a Service class`);
  }
  const prototype = (exported as { prototype?: unknown }).prototype;
  if (isService(prototype)) return new (exported as new (args: unknown) => unknown)(args);
  return await (exported as (args: unknown) => unknown)(args);
}

function isService(value: unknown): value is ThreadService {
  const candidate = value as Partial<Record<'start' | 'stop' | 'events$', unknown>> | null | undefined;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.start === 'function' &&
    typeof candidate.stop === 'function' &&
    'events$' in candidate
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

void main();
