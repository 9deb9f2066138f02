// One result row per measured quantity, printed as a table and written as JSON.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Row {
  /** 'W1', 'W2', ... */
  workload: string;
  /** What was measured, e.g. 'start 11,111 services'. */
  metric: string;
  unit: string;
  rxmode: number;
  baseline: number;
  /** What the baseline is, e.g. 'EventEmitter.emit'. */
  baselineName: string;
  /** rxmode / baseline (undefined when the baseline is 0 or not comparable). */
  ratio?: number;
  /** The project's target for this row, if any, e.g. '<= 3x'. */
  target?: string;
  /** The target as a check: `of` (the ratio, or rxmode's own figure) at most `max`. */
  limit?: { of: 'ratio' | 'rxmode'; max: number; strict?: boolean };
  /** Whether the target is met. */
  met?: boolean;
  /** Anything else worth keeping (spread, counts). */
  extra?: Record<string, number | string | boolean>;
}

/** A row with its ratio and, if it has a limit, whether the target is met. */
export function row(fields: Omit<Row, 'ratio' | 'met'>): Row {
  const ratio = fields.baseline > 0 ? fields.rxmode / fields.baseline : undefined;
  const limit = fields.limit;
  let met: boolean | undefined;
  if (limit) {
    const value = limit.of === 'ratio' ? ratio : fields.rxmode;
    met = value !== undefined && (limit.strict ? value < limit.max : value <= limit.max);
  }
  return { ...fields, ratio, met };
}

/** The rows of several runs of one workload, each figure the median over the runs. */
export function medianRows(runs: readonly Row[][]): Row[] {
  const mid = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const half = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[half]! : (sorted[half - 1]! + sorted[half]!) / 2;
  };
  return runs[0]!.map((first, i) => {
    const { ratio: _ratio, met: _met, ...fields } = first;
    const rows = runs.map((r) => r[i]!);
    const extra = runs.length > 1 ? { ...first.extra, runs: runs.length } : first.extra;
    return row({ ...fields, rxmode: mid(rows.map((r) => r.rxmode)), baseline: mid(rows.map((r) => r.baseline)), extra });
  });
}

function fmt(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function fmtRatio(ratio: number | undefined): string {
  return ratio === undefined || !Number.isFinite(ratio) ? '—' : `${ratio.toFixed(2)}×`;
}

/** The rows as a Markdown table (what docs/performance.md shows). */
export function markdownTable(rows: readonly Row[]): string {
  const lines = [
    '| workload | measure | rxmode | baseline | ratio | target |',
    '|---|---|---:|---:|---:|---|',
  ];
  for (const r of rows) {
    const target = r.target ? `${r.target} ${r.met ? '✅' : '❌'}` : '';
    lines.push(
      `| ${r.workload} | ${r.metric} (${r.unit}) | ${fmt(r.rxmode)} | ${fmt(r.baseline)} ${r.baselineName} | ${fmtRatio(r.ratio)} | ${target} |`,
    );
  }
  return lines.join('\n');
}

/** The rows as aligned plain text, for the terminal. */
export function textTable(rows: readonly Row[]): string {
  const header = ['workload', 'measure', 'unit', 'rxmode', 'baseline', 'vs', 'ratio', 'target'];
  const body = rows.map((r) => [
    r.workload,
    r.metric,
    r.unit,
    fmt(r.rxmode),
    fmt(r.baseline),
    r.baselineName,
    fmtRatio(r.ratio),
    r.target ? `${r.target} ${r.met ? 'ok' : 'MISSED'}` : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
  const right = new Set([3, 4, 6]);
  const line = (cells: string[]) =>
    cells.map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

export interface Report {
  date: string;
  node: string;
  platform: string;
  cpus: number;
  cpuModel: string;
  totalSeconds: number;
  /** Runs per workload; each figure is the median over them. */
  runs: number;
  rows: Row[];
}

export function report(rows: Row[], totalSeconds: number, runs = 1, node = process.version): Report {
  const info = cpus();
  return {
    date: new Date().toISOString(),
    node,
    platform: `${process.platform} ${process.arch}`,
    cpus: info.length,
    cpuModel: info[0]?.model ?? 'unknown',
    totalSeconds,
    runs,
    rows,
  };
}

/** Writes the report to bench/results/<timestamp>.json (next to the sources); returns the path. */
export function writeReport(result: Report): string {
  // build/bench/table.js -> <repo>/bench/results
  const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const dir = join(repo, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${result.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}
