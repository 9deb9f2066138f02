/**
 * Command-line flags for the Worker and the programs built on it, read with Node's own
 * `util.parseArgs`: `--flag value` and `--flag=value`, booleans as bare `--flag`, each
 * value checked by its flag's parser so that a bad one is a one-line {@link UsageError}
 * naming the flag, and the values typed from the specs.
 */
import { parseArgs } from 'node:util';

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
  /** A boolean flag takes no value (`--quiet`; `--quiet=false` is accepted too). */
  boolean?: boolean;
  /** Converts the text after the flag; its error message is shown after the flag's name. */
  parse?: (text: string) => T;
  /** The placeholder shown in help (`--log-level LEVEL`). */
  metavar?: string;
  /** One line of help. */
  help: string;
}

export type FlagSpecs = Record<string, FlagSpec>;

/** The value a flag of spec `S` gives: `boolean`, what its `parse` returns, or the text. */
export type FlagValue<S> = S extends { boolean: true } ? boolean : S extends { parse: (text: string) => infer T } ? T : string;

/** The values of the flags of `S` that were given, each typed by its spec. */
export type FlagValues<S extends FlagSpecs> = { [K in keyof S]?: FlagValue<S[K]> };

/** What {@link parseFlags} found. */
export interface ParsedFlags<S extends FlagSpecs = FlagSpecs> {
  /** Each flag given, by its name without dashes, as its parser returned it. */
  values: FlagValues<S>;
  /** Arguments that were not flags of `specs` (kept in order; unknown flags too with `allowUnknown`). */
  rest: string[];
  help: boolean;
}

/**
 * Parses `argv` against `specs`, whose types give the values theirs (declare the specs
 * with `satisfies FlagSpecs`, not `: FlagSpecs`, to keep them). Unknown flags are a
 * UsageError unless `allowUnknown` (then they are left in `rest`, with their value, for
 * the Worker to read). `--help` / `-h` sets `help`. `--` ends the flags.
 *
 * @example
 * const FLAGS = { 'web-port': { metavar: 'PORT', parse: parsePort, help: 'web server port' } } satisfies FlagSpecs;
 * const { values, rest } = parseFlags(process.argv.slice(2), FLAGS, { allowUnknown: true });
 * const port: number = values['web-port'] ?? 8000;
 */
export function parseFlags<const S extends FlagSpecs>(
  argv: readonly string[],
  specs: S,
  options: { allowUnknown?: boolean } = {},
): ParsedFlags<S> {
  const known: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const [name, spec] of Object.entries(specs)) known[name] = { type: spec.boolean ? 'boolean' : 'string' };
  // Not strict: parseArgs then hands back unknown flags and missing values as tokens, so
  // that the messages below name the flag, and unknown flags can be passed on in order.
  const { tokens } = parseArgs({
    args: [...argv],
    options: { ...known, help: { type: 'boolean', short: 'h' } },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values: Record<string, unknown> = {};
  const rest: string[] = [];
  let help = false;
  for (const token of tokens) {
    if (token.kind === 'positional') {
      rest.push(token.value);
      continue;
    }
    if (token.kind === 'option-terminator') {
      if (options.allowUnknown) rest.push('--');
      continue;
    }
    const { name, rawName, value, inlineValue } = token;
    if (name === 'help' && !Object.hasOwn(specs, 'help')) {
      help = true;
      if (options.allowUnknown) rest.push(rawName);
      continue;
    }
    const spec = Object.hasOwn(specs, name) && rawName.startsWith('--') ? specs[name] : undefined;
    if (!spec) {
      if (!options.allowUnknown) throw new UsageError(`unknown flag: ${rawName} (see --help)`);
      rest.push(inlineValue ? `${rawName}=${value}` : rawName);
      continue;
    }
    if (spec.boolean) {
      if (value === undefined || /^(true|yes|1)$/i.test(value)) values[name] = true;
      else if (/^(false|no|0)$/i.test(value)) values[name] = false;
      else throw new UsageError(`--${name}: expected no value or true/false, got '${value}'`);
      continue;
    }
    if (value === undefined) throw new UsageError(`--${name}: missing value${spec.metavar ? ` (${spec.metavar})` : ''}`);
    try {
      values[name] = spec.parse ? spec.parse(value) : value;
    } catch (error) {
      throw new UsageError(`--${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { values: values as FlagValues<S>, rest, help };
}

/**
 * The help lines for `specs`, aligned.
 *
 * @example
 * flagsHelp({ quiet: { boolean: true, help: 'print nothing but the log' } }); // '  --quiet  print nothing but the log'
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
