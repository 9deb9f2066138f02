import { formatRecord, type FormatOptions, type LogRecord } from './format.js';

/** Where formatted lines go: anything with a `write(text)` (a Node stream, a sonic-boom, a test sink). */
export interface LineSink {
  write(text: string): unknown;
}

/**
 * A pino destination that turns pino's JSON lines into mode's lines and hands them to
 * `sink`, one `write` per record (newline included). A line that is not JSON is passed
 * through unchanged, so nothing is ever lost to a formatting problem.
 *
 * We format ourselves instead of depending on pino-pretty: the format is one line, and a
 * destination keeps the formatting on the logging thread, so log lines stay in order with
 * everything else the program prints.
 *
 * @example
 * const root = pino({ level: 'info' }, prettyDestination(process.stdout));
 * root.child({ label: 'Webserver', depth: 3 }).info('Starting...');
 * // [2026-11-21 12:00:00,000: INFO]: [^--Webserver]: Starting...
 */
export function prettyDestination(sink: LineSink, options: FormatOptions = {}): { write(chunk: string): void } {
  return {
    write(chunk: string): void {
      for (const text of chunk.split('\n')) {
        if (text.length === 0) continue;
        let record: LogRecord | undefined;
        try {
          const parsed: unknown = JSON.parse(text);
          if (parsed !== null && typeof parsed === 'object') record = parsed as LogRecord;
        } catch {
          record = undefined;
        }
        sink.write(`${record ? formatRecord(record, options) : text}\n`);
      }
    },
  };
}
