/**
 * pino's number for each level name, `silent` above them all: what a logger's `levelVal`
 * is compared with. The one table of them (the console logger, the line format and the
 * services' level checks read it).
 *
 * @example
 * LEVEL_VALUES.warn; // 40
 */
export const LEVEL_VALUES: Readonly<Record<string, number>> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Infinity,
};
