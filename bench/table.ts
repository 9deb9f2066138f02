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
  /** Whether the target is met. */
  met?: boolean;
  /** Anything else worth keeping (spread, counts). */
  extra?: Record<string, number | string | boolean>;
}

export function row(fields: Omit<Row, 'ratio'> & { ratio?: number }): Row {
  const ratio = fields.ratio ?? (fields.baseline > 0 ? fields.rxmode / fields.baseline : undefined);
  return { ...fields, ratio };
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

/** The rows as a Markdown table (what README's Performance section shows). */
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
  rows: Row[];
}

export function report(rows: Row[], totalSeconds: number): Report {
  const info = cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: info.length,
    cpuModel: info[0]?.model ?? 'unknown',
    totalSeconds,
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
