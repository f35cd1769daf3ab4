/**
 * In process: the DAT load file alone, as the generator produces it (datChunks), bytes counted
 * and dropped. Also two breakdowns of a row's cost, to show which part holds the rate back:
 * planning documents alone (plan.document) and encoding ready-made row text alone.
 */
import { HARD_MAX_COUNT, loadConfig } from '../../src/config.js';
import { documentSize } from '../../src/generator/documents/index.js';
import { datChunks } from '../../src/generator/loadfile/writer.js';
import { ArchivePlan } from '../../src/generator/plan.js';
import { archiveRequestSchema } from '../../src/schemas/archive-request.js';
import { serveChildTask } from '../lib/child-task.js';

export interface DatRowsInput {
  count: number;
  seed: number;
}

export interface DatRowsOutput {
  rows: number;
  bytes: number;
  seconds: number;
  peakRssBytes: number;
  /** plan.document(i) alone, on the first rows. */
  planRowsPerSecond: number;
  /** Encoding a ready 64k-character batch of rows to bytes, repeated. */
  encodeRowsPerSecond: number;
}

const BREAKDOWN_ROWS = 1_000_000;
const ENCODE_SECONDS = 1;

function planFor(input: DatRowsInput): ArchivePlan {
  const limits = loadConfig({ ZIPPER_MAX_COUNT: String(HARD_MAX_COUNT) }).limits;
  const fields = archiveRequestSchema(limits, 'json').parse({ count: input.count, withMetadata: true, includeLoadFile: true });
  return new ArchivePlan({ ...fields, seed: input.seed });
}

function planRate(plan: ArchivePlan): number {
  const rows = Math.min(plan.count, BREAKDOWN_ROWS);
  const startedAt = performance.now();
  let sink = 0;
  for (let index = 1; index <= rows; index++) sink += plan.document(index).folder;
  const seconds = (performance.now() - startedAt) / 1000;
  return sink > 0 ? rows / seconds : NaN;
}

function encodeRate(plan: ArchivePlan): number {
  // The first full batch the generator yields, back to text: what one encode call gets.
  const chunks = datChunks(plan, documentSize, Math.min(plan.count, 5_000));
  const text = [...chunks].map((chunk) => chunk.toString('utf8')).sort((a, b) => b.length - a.length)[0] ?? '';
  const rowsPerBatch = text.split('\r\n').length - 1;
  let batches = 0;
  const startedAt = performance.now();
  while (performance.now() - startedAt < ENCODE_SECONDS * 1000) {
    for (let k = 0; k < 100; k++) if (Buffer.from(text, 'utf8').length > 0) batches++;
  }
  return (batches * rowsPerBatch) / ((performance.now() - startedAt) / 1000);
}

serveChildTask<DatRowsInput, DatRowsOutput>(async (input) => {
  const plan = planFor(input);
  let bytes = 0;
  const startedAt = performance.now();
  for (const chunk of datChunks(plan, documentSize)) bytes += chunk.length;
  const seconds = (performance.now() - startedAt) / 1000;
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  return { rows: plan.count, bytes, seconds, peakRssBytes, planRowsPerSecond: planRate(plan), encodeRowsPerSecond: encodeRate(plan) };
});
