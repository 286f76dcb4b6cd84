/**
 * What a benchmark leaves behind: printed markdown tables, one JSON section per benchmark file in
 * BENCH_OUT (default test/bench/results), and — from run.ts, once every file ran — the merged
 * results.json and a chart (chart.svg, chart.png).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import type { Comparison, Figures } from './load';
import { CONNECTIONS, QUICK, ROUNDS, SECONDS, WARMUP_SECONDS } from './load';

export const OUT = resolve(process.env.BENCH_OUT ?? join(__dirname, '..', 'results'));

/** One row of the growth table: a figure against the reference figure it is compared with. */
export interface GrowthRow {
  group: string;
  row: string;
  /** What is compared: req/s, or a latency / memory figure where that is the question. */
  metric: string;
  value: number;
  reference: number;
  /** value / reference (for req/s: below 1 is slower than the reference). */
  relative: number;
  goal?: string;
  figures?: Figures;
  note?: string;
}

export interface Section {
  bench: string;
  startedAt: string;
  machine: { cpus: number; cpu: string; memoryGiB: number; node: string; loadAtStart: number[] };
  settings: Record<string, unknown>;
  comparisons?: Comparison[];
  fixedRate?: Figures[];
  growth?: GrowthRow[];
  /** Figures of another shape (e.g. Kafka request/reply latencies). */
  extra?: Record<string, unknown>;
  notes?: string[];
}

export function newSection(bench: string): Section {
  return {
    bench,
    startedAt: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpu: cpus()[0]?.model ?? 'cpu',
      memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
      node: process.version,
      loadAtStart: loadavg().map((l) => Number(l.toFixed(2))),
    },
    settings: {
      quick: QUICK,
      secondsPerRun: SECONDS,
      warmupSeconds: WARMUP_SECONDS,
      rounds: ROUNDS,
      connections: CONNECTIONS,
    },
  };
}

export function writeSection(section: Section): void {
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, `${section.bench}.json`), JSON.stringify(section, null, 2));
}

const n = (x: number, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : '—');

export function figuresTable(rows: Figures[]): string {
  return [
    '| run | conns | req/s | mean ms | p50 ms | p99 ms | ok | failed | CPU µs/req | deliveries | delivery p50 / p99 ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.name}${r.targetRps ? ` (fixed ${n(r.targetRps)}/s)` : ''} | ${r.connections} | ${n(r.rps)} | ` +
        `${n(r.meanMs, 2)} | ${n(r.p50Ms, 1)} | ${n(r.p99Ms, 1)} | ${r.ok} | ${r.failed} | ` +
        `${n(r.cpuUsPerRequest)} | ${r.deliveries?.count ?? '—'} | ` +
        `${r.deliveries ? `${n(r.deliveries.p50Ms)} / ${n(r.deliveries.p99Ms)}` : '—'} |`,
    ),
  ].join('\n');
}

export function comparisonTable(comparisons: Comparison[]): string {
  return [
    '| service / baseline | goal | ratio (median req/s) | rounds (service / baseline req/s) | CPU µs/req service / baseline |',
    '| --- | ---: | ---: | --- | ---: |',
    ...comparisons.map(
      (c) =>
        `| ${c.name} | ${c.goal !== undefined ? `≥ ${c.goal.toFixed(2)}` : '—'} | ${c.ratio.toFixed(3)} | ` +
        `${c.rounds.map((r) => `${n(r.service)} / ${n(r.baseline)}`).join(', ')} | ` +
        `${n(c.service.cpuUsPerRequest)} / ${n(c.baseline.cpuUsPerRequest)} |`,
    ),
  ].join('\n');
}

export function growthTable(rows: GrowthRow[]): string {
  return [
    '| group | row | metric | value | reference | relative | goal | note |',
    '| --- | --- | --- | ---: | ---: | ---: | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.group} | ${r.row} | ${r.metric} | ${n(r.value, 1)} | ${n(r.reference, 1)} | ` +
        `${n(r.relative, 2)} | ${r.goal ?? ''} | ${r.note ?? ''} |`,
    ),
  ].join('\n');
}

export function machineLine(section: Section): string {
  const m = section.machine;
  return (
    `machine: ${m.cpus} × ${m.cpu}, ${m.memoryGiB} GiB, node ${m.node}, load average at start ` +
    `${m.loadAtStart.join(' ')}; ${SECONDS} s per run after ${WARMUP_SECONDS} s warm-up, ` +
    `${ROUNDS} alternating round(s)${QUICK ? ', BENCH_QUICK' : ''}`
  );
}

/** Every section written in this run (files newer than `since`), merged into results.json. */
export function mergeSections(since: number): Section[] {
  let files: string[] = [];
  try {
    files = readdirSync(OUT).filter((f) => f.endsWith('.json') && f !== 'results.json');
  } catch {
    return [];
  }
  const sections = files
    .map((f) => JSON.parse(readFileSync(join(OUT, f), 'utf8')) as Section)
    .filter((s) => Date.parse(s.startedAt) >= since);
  writeFileSync(join(OUT, 'results.json'), JSON.stringify({ sections }, null, 2));
  return sections;
}
