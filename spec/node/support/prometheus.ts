/** One sample of the Prometheus text format. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A parsed exposition: families with their HELP and TYPE, and every sample in order. */
export interface Exposition {
  readonly help: ReadonlyMap<string, string>;
  readonly types: ReadonlyMap<string, string>;
  readonly samples: readonly Sample[];
  /** The value of `name` with exactly these labels, or undefined. */
  value(name: string, labels?: Record<string, string>): number | undefined;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = `([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\\\\n]|\\\\[\\\\"n])*)"`;
const SAMPLE = new RegExp(`^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*,?)?\\})? (\\S+)(?: (-?\\d+))?$`);
const SUFFIXES = ['_bucket', '_sum', '_count', '_created', '_total'];

/**
 * Parses the Prometheus text format (0.0.4) line by line, strictly: every line is a
 * comment (HELP, TYPE), blank, or a sample whose family was declared by a TYPE line
 * before it; anything else throws, naming the line.
 */
export function parseExposition(text: string): Exposition {
  const help = new Map<string, string>();
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  const lines = text.split('\n');
  if (lines.pop() !== '') throw new Error('the exposition does not end with a newline');
  lines.forEach((line, index) => {
    const where = `line ${index + 1}: ${JSON.stringify(line)}`;
    if (line === '') return;
    let match: RegExpExecArray | null;
    if ((match = new RegExp(`^# HELP (${NAME}) (.*)$`).exec(line))) {
      if (help.has(match[1]!)) throw new Error(`second HELP, ${where}`);
      help.set(match[1]!, match[2]!);
      return;
    }
    if ((match = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`).exec(line))) {
      if (types.has(match[1]!)) throw new Error(`second TYPE, ${where}`);
      types.set(match[1]!, match[2]!);
      return;
    }
    if (line.startsWith('#')) throw new Error(`unknown comment, ${where}`);
    match = SAMPLE.exec(line);
    if (!match) throw new Error(`not a sample, ${where}`);
    const name = match[1]!;
    const family = types.has(name) ? name : SUFFIXES.map((s) => (name.endsWith(s) ? name.slice(0, -s.length) : '')).find((f) => f && types.has(f));
    if (!family) throw new Error(`sample of an undeclared family, ${where}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(new RegExp(LABEL, 'g'))) {
      if (pair[1]! in labels) throw new Error(`label ${pair[1]} twice, ${where}`);
      labels[pair[1]!] = pair[2]!.replace(/\\(["\\n])/g, (_, ch: string) => (ch === 'n' ? '\n' : ch));
    }
    // Go's ParseFloat, which Prometheus uses, takes NaN and Inf in any case (prom-client writes "Nan").
    const raw = match[match.length - 2]!.toLowerCase();
    const value = raw === '+inf' || raw === 'inf' ? Infinity : raw === '-inf' ? -Infinity : Number(raw);
    if (Number.isNaN(value) && raw !== 'nan') throw new Error(`bad value, ${where}`);
    samples.push({ name, labels, value });
  });
  return {
    help,
    types,
    samples,
    value(name, wanted = {}) {
      const keys = Object.keys(wanted);
      return samples.find(
        (s) => s.name === name && Object.keys(s.labels).length === keys.length && keys.every((k) => s.labels[k] === wanted[k]),
      )?.value;
    },
  };
}
