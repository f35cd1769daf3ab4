import { deflateRawSync } from 'node:zlib';
import { documentSize, renderDocument } from './documents/index.js';
import { extractedText } from './documents/text.js';
import { materialize, storesEntry } from './entries.js';
import { datChunks } from './loadfile/dat.js';
import { NO_PADDING, type ArchivePlan, type PaddingSplit } from './plan.js';
import { endBytes, entryBytes, ZIP } from './zip-layout.js';

/** Largest padded document: documents are held whole while written. */
export const MAX_DOCUMENT_BYTES = 256 * 2 ** 20;

/** Documents measured to estimate an archive: enough to average out metadata lengths. */
const SAMPLE_DOCUMENTS = 64;
/** Load-file rows deflated to estimate its compression ratio. */
const SAMPLE_ROWS = 512;

function sampleIndexes(count: number, samples: number): number[] {
  if (count <= samples) return Array.from({ length: count }, (_, k) => k + 1);
  return Array.from({ length: samples }, (_, k) => 1 + Math.floor((k * (count - 1)) / (samples - 1)));
}

function deflatedSize(bytes: Buffer): number {
  return deflateRawSync(bytes, { level: 6 }).length;
}

/** Bytes an entry's data takes in the archive: stored as is, or deflated (padding does not shrink). */
function storedDataBytes(bytes: Buffer, store: boolean, padding = 0): number {
  return store ? bytes.length + padding : deflatedSize(bytes) + padding;
}

/**
 * Estimated archive size: documents and texts measured on an even sample and scaled, ZIP records
 * counted exactly, the load file's compression measured on its first rows.
 */
export function estimateArchiveBytes(plan: ArchivePlan): number {
  const { count } = plan;
  const indexes = sampleIndexes(count, SAMPLE_DOCUMENTS);
  let sampled = 0;
  let entries = 0;
  for (const index of indexes) {
    const doc = plan.document(index);
    const store = storesEntry(plan, 'document', doc);
    // Deflating padding would only measure random bytes: measure the document without it.
    const unpadded = materialize(renderDocument({ ...doc, paddingBytes: 0 }), plan.request.seed, index);
    const padding = documentSize(doc) - unpadded.length;
    sampled += entryBytes(Buffer.byteLength(doc.path), storedDataBytes(unpadded, store, padding), !store, false);
    entries++;
    if (doc.textPath !== null) {
      const text = Buffer.from(extractedText(doc), 'utf8');
      const storeText = storesEntry(plan, 'text', doc);
      sampled += entryBytes(Buffer.byteLength(doc.textPath), storedDataBytes(text, storeText), !storeText, false);
      entries++;
    }
  }
  let total = (sampled * count) / indexes.length;
  let entryCount = (entries * count) / indexes.length;
  const loadFileName = plan.loadFileName;
  if (loadFileName !== null) {
    total += entryBytes(Buffer.byteLength(loadFileName), estimateLoadFileDeflated(plan), true, false);
    entryCount++;
  }
  // Entries past 4 GiB carry a Zip64 offset in their central header.
  if (total > ZIP.max32) total += ((total - ZIP.max32) / total) * entryCount * ZIP.zip64CentralExtra;
  return Math.round(total + endBytes(entryCount, total));
}

/** The DAT's deflated size: the first rows' ratio applied to its full length. */
function estimateLoadFileDeflated(plan: ArchivePlan): number {
  const sampleCount = Math.min(plan.count, SAMPLE_ROWS);
  const sample = Buffer.concat([...datChunks(plan, documentSize, sampleCount)]);
  const ratio = deflatedSize(sample) / sample.length;
  return Math.round(sample.length * (plan.count / sampleCount) * ratio);
}

export type SizingResult = { ok: true; plan: ArchivePlan; estimatedBytes: number } | { ok: false; message: string };

function split(totalPadding: number, count: number): PaddingSplit {
  const padding = Math.max(0, Math.round(totalPadding));
  return { base: Math.floor(padding / count), remainder: padding % count };
}

/**
 * Pads documents so the archive lands on `targetSize`: estimate unpadded, spread the difference,
 * then correct once for what padding changes (padded documents are stored under `auto`).
 */
export function sizePlan(plan: ArchivePlan): SizingResult {
  const target = plan.request.targetSize;
  const unpaddedPlan = plan.withPadding(NO_PADDING);
  const unpadded = estimateArchiveBytes(unpaddedPlan);
  if (target === undefined) return { ok: true, plan: unpaddedPlan, estimatedBytes: unpadded };
  if (target < unpadded) {
    return { ok: false, message: `is below the smallest archive this request makes (about ${unpadded} bytes)` };
  }
  let padding = target - unpadded;
  let padded = plan.withPadding(split(padding, plan.count));
  let estimate = estimateArchiveBytes(padded);
  padding += target - estimate;
  padded = plan.withPadding(split(padding, plan.count));
  if (padded.padding.base + 1 > MAX_DOCUMENT_BYTES) {
    return {
      ok: false,
      message: `would need documents of about ${padded.padding.base} bytes each; the largest is ${MAX_DOCUMENT_BYTES}: raise count`,
    };
  }
  estimate = estimateArchiveBytes(padded);
  return { ok: true, plan: padded, estimatedBytes: estimate };
}
