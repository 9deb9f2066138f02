/**
 * A small command-line flag parser for the Worker and the programs built on it:
 * `--flag value` and `--flag=value`, booleans as bare `--flag`, each value checked by its
 * flag's parser so that a bad one is a one-line {@link UsageError} naming the flag.
 */

/** A bad flag or value: the program prints its message on one line and exits with 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(message: string) {
    super(message);
    this.stack = `${this.name}: ${message}`;
  }
}

/** How one flag reads its value. `parse` throws (any error) to reject it. */
export interface FlagSpec<T = unknown> {
  /** A boolean flag takes no value (`--quiet`). */
  boolean?: boolean;
  /** Converts the text after the flag; its error message is shown after the flag's name. */
  parse?: (text: string) => T;
  /** The placeholder shown in help (`--log-level LEVEL`). */
  metavar?: string;
  /** One line of help. */
  help: string;
}

export type FlagSpecs = Record<string, FlagSpec>;

/** What {@link parseFlags} found. */
export interface ParsedFlags {
  /** Each flag given, by its name without dashes, as its parser returned it. */
  values: Record<string, unknown>;
  /** Arguments that were not flags of `specs` (kept in order; unknown flags too with `allowUnknown`). */
  rest: string[];
  help: boolean;
}

/**
 * Parses `argv` against `specs`. Unknown flags are a UsageError unless `allowUnknown`
 * (then they are left in `rest`, with their `=value` if they had one). `--help` / `-h`
 * sets `help`. `--` ends the flags.
 *
 * @example
 * parseFlags(['--log-level=debug', '--quiet'], WORKER_FLAGS).values; // { 'log-level': 'debug', quiet: true }
 */
export function parseFlags(argv: readonly string[], specs: FlagSpecs, options: { allowUnknown?: boolean } = {}): ParsedFlags {
  const values: Record<string, unknown> = {};
  const rest: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      rest.push(...argv.slice(i + (options.allowUnknown ? 0 : 1)));
      break;
    }
    if (arg === '--help' || arg === '-h') {
      help = true;
      if (options.allowUnknown) rest.push(arg);
      continue;
    }
    if (!arg.startsWith('--')) {
      rest.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
    if (!spec) {
      if (!options.allowUnknown) throw new UsageError(`unknown flag: ${arg.slice(0, eq === -1 ? undefined : eq)} (see --help)`);
      rest.push(arg);
      // An unknown flag's separate value belongs to whoever knows the flag.
      if (eq === -1 && i + 1 < argv.length && !argv[i + 1]!.startsWith('-')) rest.push(argv[++i]!);
      continue;
    }
    let text: string | undefined = eq === -1 ? undefined : arg.slice(eq + 1);
    if (spec.boolean) {
      if (text === undefined) values[name] = true;
      else if (/^(true|yes|1)$/i.test(text)) values[name] = true;
      else if (/^(false|no|0)$/i.test(text)) values[name] = false;
      else throw new UsageError(`--${name}: expected no value or true/false, got '${text}'`);
      continue;
    }
    if (text === undefined) {
      if (i + 1 >= argv.length) throw new UsageError(`--${name}: missing value${spec.metavar ? ` (${spec.metavar})` : ''}`);
      text = argv[++i]!;
    }
    try {
      values[name] = spec.parse ? spec.parse(text) : text;
    } catch (error) {
      throw new UsageError(`--${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { values, rest, help };
}

/**
 * The help lines for `specs`, aligned.
 *
 * @example
 * flagsHelp(WORKER_FLAGS); // '  --log-level LEVEL   lowest level logged ...'
 */
export function flagsHelp(specs: FlagSpecs): string {
  const heads = Object.entries(specs).map(([name, spec]) => `--${name}${spec.boolean ? '' : ` ${spec.metavar ?? 'VALUE'}`}`);
  const width = Math.max(...heads.map((h) => h.length)) + 2;
  return Object.values(specs)
    .map((spec, i) => `  ${heads[i]!.padEnd(width)}${spec.help}`)
    .join('\n');
}

/**
 * A TCP port (0-65535; 0 asks for any free port).
 *
 * @example
 * parsePort('8000'); // 8000
 */
export function parsePort(text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new TypeError(`invalid port: '${text}' (expected a number 0-65535)`);
  const port = Number(text);
  if (port > 65_535) throw new RangeError(`invalid port: '${text}' (expected a number 0-65535)`);
  return port;
}
