// How many runs a model spec makes: FC_RUNS from the environment (the deep run before
// touching the core: `FC_RUNS=2000 npm run test:model`), else the spec's own fast default.
// Runs in Node and in Chromium (where there is no environment).

/** `FC_RUNS` when set, else `fallback`; a TypeError naming a bad FC_RUNS. */
export function fcRuns(fallback: number): number {
  const value = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.FC_RUNS;
  if (value === undefined || value === '') return fallback;
  const runs = Number(value);
  if (!Number.isInteger(runs) || runs < 1) throw new TypeError(`FC_RUNS must be a whole number >= 1, got '${value}'`);
  return runs;
}

/** A Jasmine timeout for a spec of `runs` runs at about `msPerRun` each (at least Jasmine's 5 s). */
export function timeoutFor(runs: number, msPerRun: number): number {
  return Math.max(5_000, Math.ceil(runs * msPerRun));
}
