// Shared pieces of the supervisor specs (not itself a spec file). Runs in Node and in Chromium.
import { pino } from 'pino';
import { TestScheduler } from 'rxjs/testing';
import type { Logger } from '../../src/logging/logger.js';
import { Service, type ServiceOptions } from '../../src/service/service.js';

/** Counts the starts and stops that really happened (onStart / onStop), as mode's StatService. */
export class Stat extends Service {
  starts = 0;
  stops = 0;
  restarts = 0;
  override onStart(): void {
    this.starts++;
  }
  override onStop(): void {
    this.stops++;
  }
  override onRestart(): void {
    this.restarts++;
  }
}

/** mode's `Y`: a service with a child `x`. */
export class Y extends Stat {
  readonly x: Stat;
  constructor(options: ServiceOptions = {}) {
    super({ name: 'y', ...options });
    this.x = this.addDependency(new Stat({ name: 'x' }));
  }
}

/** A scheduler whose queued work runs on `flush()`, for supervisors in virtual time. */
export function virtualScheduler(): TestScheduler {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  // Outside run(), TestScheduler stops flushing at frame 750; these specs go further.
  scheduler.maxFrames = Number.POSITIVE_INFINITY;
  return scheduler;
}

/** A service whose onStart fails while `failing` says so. */
export class Flaky extends Stat {
  failing = true;
  override onStart(): void {
    super.onStart();
    if (this.failing) throw new Error(`${this.label} cannot start`);
  }
}

/** One captured log line: pino's level number, the message and the bindings. */
export interface LogLine {
  level: number;
  msg?: string;
  label?: string;
  [key: string]: unknown;
}

/** A pino logger keeping its lines (JSON lines in Node, objects in the browser build). */
export function captureLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino(
    { level: 'debug', browser: { asObject: true, write: (line: object) => void lines.push(line as LogLine) } },
    { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) },
  );
  return { logger, lines };
}

/** A service that writes `label.hook` into a shared list for each start and stop. */
export class Ordered extends Stat {
  constructor(readonly calls: string[], name: string) {
    super({ name });
  }
  override onStart(): void {
    super.onStart();
    this.calls.push(`${this.label}.start`);
  }
  override onStop(): void {
    super.onStop();
    this.calls.push(`${this.label}.stop`);
  }
}
