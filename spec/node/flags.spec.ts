import { type FlagSpecs, parseFlags, parsePort, UsageError } from '../../src/node/flags.js';
import { WORKER_FLAGS } from '../../src/node/worker-flags.js';

const FLAGS = {
  'web-port': { metavar: 'PORT', parse: parsePort, help: 'web server port' },
  name: { help: 'a name' },
  verbose: { boolean: true, help: 'say more' },
} satisfies FlagSpecs;

describe('parseFlags (node:util parseArgs underneath)', () => {
  it('reads --flag value and --flag=value, booleans bare or with true/false, each value typed by its spec', () => {
    const { values, rest, help } = parseFlags(['--web-port', '8080', '--name=app', '--verbose', 'file.txt'], FLAGS);
    const port: number | undefined = values['web-port'];
    const name: string | undefined = values.name;
    const verbose: boolean | undefined = values.verbose;
    expect([port, name, verbose]).toEqual([8080, 'app', true]);
    expect(rest).toEqual(['file.txt']);
    expect(help).toBeFalse();
    expect(parseFlags(['--verbose=false'], FLAGS).values.verbose).toBeFalse();
  });

  it('passes unknown flags on in order, with their values, when allowed', () => {
    const { values, rest } = parseFlags(['--log-level', 'debug', '--web-port=1', '--quiet', '--health-port=9464', 'x'], FLAGS, { allowUnknown: true });
    expect(values).toEqual({ 'web-port': 1 });
    expect(rest).toEqual(['--log-level', 'debug', '--quiet', '--health-port=9464', 'x']);
    expect(parseFlags(rest, WORKER_FLAGS).values).toEqual({ 'log-level': 'debug', quiet: true, 'health-port': 9464 });
  });

  it('sees --help and -h, and stops at --', () => {
    expect(parseFlags(['-h'], FLAGS).help).toBeTrue();
    expect(parseFlags(['--help'], FLAGS, { allowUnknown: true }).rest).toEqual(['--help']);
    expect(parseFlags(['--', '--name', 'x'], FLAGS).rest).toEqual(['--name', 'x']);
    expect(parseFlags(['--', '--name'], FLAGS, { allowUnknown: true }).rest).toEqual(['--', '--name']);
  });

  it('refuses an unknown flag, a missing value and a bad value with a one-line UsageError naming the flag', () => {
    expect(() => parseFlags(['--bogus'], FLAGS)).toThrowMatching((e) => e instanceof UsageError && e.message === 'unknown flag: --bogus (see --help)');
    expect(() => parseFlags(['--web-port'], FLAGS)).toThrowMatching((e) => e instanceof UsageError && e.message === '--web-port: missing value (PORT)');
    expect(() => parseFlags(['--web-port', 'eighty'], FLAGS)).toThrowMatching(
      (e) => e instanceof UsageError && e.message === "--web-port: invalid port: 'eighty' (expected a number 0-65535)",
    );
    expect(() => parseFlags(['--verbose=loud'], FLAGS)).toThrowMatching(
      (e) => e instanceof UsageError && e.message === "--verbose: expected no value or true/false, got 'loud'",
    );
  });

  it("types the Worker's own flags", () => {
    const { values } = parseFlags(['--blocking-timeout', '2s', '--log-format=json', '--log-level=WARNING'], WORKER_FLAGS);
    const timeout: number | undefined = values['blocking-timeout'];
    const format: 'auto' | 'pretty' | 'json' | undefined = values['log-format'];
    expect([timeout, format, values['log-level']]).toEqual([2000, 'json', 'warn']);
  });
});
