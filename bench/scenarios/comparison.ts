/**
 * The standard side-by-side: this service and stock archiver on the same request, each on a
 * fresh server, then the raw limit for that archive's shape, in one table with the ratios.
 */
import { formatInteger, formatMegabytes, formatMilliseconds, formatRatio, formatSeconds, NOT_APPLICABLE } from '../lib/format.js';
import { measureArchive, type ArchiveMeasurement, type ArchiveRequestBody } from '../lib/measure-archive.js';
import type { LoopbackLimit, RawFilesLimit } from '../lib/raw-limits.js';
import type { Table } from '../lib/table.js';
import { ENGINE_LABEL, type Engine } from '../lib/zipper-server.js';
import { goalCell } from './goals.js';
import type { ScenarioContext } from './scenario.js';

export interface EngineComparison {
  ours: ArchiveMeasurement;
  stock: ArchiveMeasurement;
  raw: RawFilesLimit | null;
  loopback: LoopbackLimit;
}

export interface ComparisonRun {
  body: ArchiveRequestBody;
  /** Stock archiver's request when it must be smaller than ours (labelled in the table). */
  stockBody?: ArchiveRequestBody;
  clients?: number;
  env?: Record<string, string>;
}

export async function measureOne(context: ScenarioContext, engine: Engine, run: ComparisonRun): Promise<ArchiveMeasurement> {
  const body = engine === 'archiver' ? (run.stockBody ?? run.body) : run.body;
  const clients = run.clients ?? 1;
  const env = Object.entries(run.env ?? {}).map(([name, value]) => `${name}=${value} `).join('');
  context.log(`  ${env}${ENGINE_LABEL[engine]}: ${clients > 1 ? `${clients} × ` : ''}${JSON.stringify(body)}`);
  const measurement = await measureArchive(context.settings, { engine, body, clients, env: run.env });
  context.log(
    measurement.completed
      ? `    ${formatInteger(measurement.documentsPerSecond)} files/s, ${formatSeconds(measurement.seconds)} s, peak RSS ${formatMegabytes(measurement.peakRssBytes)} MB`
      : `    FAILED: ${measurement.failure}`,
  );
  return measurement;
}

export async function compareEngines(context: ScenarioContext, run: ComparisonRun): Promise<EngineComparison> {
  const ours = await measureOne(context, 'zipper', run);
  const stock = await measureOne(context, 'archiver', run);
  const streams = run.clients ?? 1;
  const loopback = await context.raw.loopback(streams);
  // The raw limit is for the archive ours streamed (stock's if ours failed).
  const raw = await context.raw.filesPerSecond(ours.completed ? ours : stock, streams);
  return { ours, stock, raw, loopback };
}

export interface ComparisonGoals {
  documentsPerSecond?: string;
  bytesPerSecond?: string;
  peakRss?: string;
  ttfb?: string;
  /** Whether each was met, in the same keys. */
  met?: Partial<Record<'documentsPerSecond' | 'bytesPerSecond' | 'peakRss' | 'ttfb', boolean | null>>;
}

function failedOr(measurement: ArchiveMeasurement, text: string): string {
  return measurement.completed ? text : 'failed';
}

/** Rows: one figure each; columns: ours, stock, raw, ours/stock, ours/raw, goal. */
export function comparisonTable(caption: string, comparison: EngineComparison, goals: ComparisonGoals = {}): Table {
  const { ours, stock, raw, loopback } = comparison;
  const goal = (key: keyof Omit<ComparisonGoals, 'met'>) => (goals[key] ? goalCell(goals[key], goals.met?.[key] ?? null) : '');
  const entriesPerDocument = ours.entries !== null ? ours.entries / ours.documents : null;
  const rawEntriesPerSecond = raw && entriesPerDocument !== null ? raw.documentsPerSecond * entriesPerDocument : null;
  const row = (
    figure: string,
    pick: (m: ArchiveMeasurement) => number | null,
    format: (value: number | null) => string,
    rawValue: number | null,
    goalText = '',
    ratios = true,
  ) => {
    const oursValue = ours.completed ? pick(ours) : null;
    const stockValue = stock.completed ? pick(stock) : null;
    return [
      figure,
      failedOr(ours, format(oursValue)),
      failedOr(stock, format(stockValue)),
      rawValue === null ? NOT_APPLICABLE : format(rawValue),
      ratios ? formatRatio(oursValue, stockValue) : '',
      ratios ? formatRatio(oursValue, rawValue) : '',
      goalText,
    ];
  };
  return {
    caption,
    headers: ['figure', ENGINE_LABEL.zipper, ENGINE_LABEL.archiver, `raw limit${raw ? ` (${raw.boundBy})` : ''}`, 'ours / stock', 'ours / raw', 'goal'],
    rows: [
      row('files (documents) requested', (m) => m.documents, formatInteger, null, '', false),
      row('ZIP entries streamed', (m) => m.entries, formatInteger, null, '', false),
      row('files/s', (m) => m.documentsPerSecond, formatInteger, raw?.documentsPerSecond ?? null, goal('documentsPerSecond')),
      row('entries/s', (m) => m.entriesPerSecond, formatInteger, rawEntriesPerSecond, ''),
      row('MB/s', (m) => m.bytesPerSecond, formatMegabytes, raw?.bytesPerSecond ?? null, goal('bytesPerSecond')),
      row('archive size (MB)', (m) => m.bytes, formatMegabytes, null),
      row('time to first byte (ms)', (m) => m.ttfbMs, formatMilliseconds, loopback.ttfbMs, goal('ttfb')),
      row('wall time (s)', (m) => m.seconds, formatSeconds, null),
      row('server peak RSS (MB)', (m) => m.peakRssBytes, formatMegabytes, loopback.peakRssBytes, goal('peakRss')),
    ],
  };
}

/** Notes for failures, so a table's "failed" cell has its reason beside it. */
export function failureNotes(...measurements: ArchiveMeasurement[]): string[] {
  return measurements.filter((m) => !m.completed).map((m) => `${ENGINE_LABEL[m.engine]} failed: ${m.failure}`);
}

/** Standard explanation of the raw column. */
export function rawNote(comparison: EngineComparison): string {
  const { raw, loopback } = comparison;
  if (!raw) return 'Raw limit not computed (no complete archive to size it on).';
  return (
    `Raw limit: the lower of loopback HTTP (${formatMegabytes(loopback.bytesPerSecond)} MB/s over ${loopback.streams} ` +
    `stream${loopback.streams > 1 ? 's' : ''}, scaled by this archive's bytes per file) and the in-process loop writing ` +
    `precomputed entries of this archive's average size; here bound by ${raw.boundBy}. Its RSS and first byte are the loopback server's.`
  );
}
