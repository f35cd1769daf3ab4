import { answerKeyBytes, answerKeyName } from './chaos/answer-key.js';
import { deflateRawSync } from 'node:zlib';
import { documentSize, renderDocument } from './documents/index.js';
import { extractedText } from './documents/text.js';
import { compressionOf } from './entries.js';
import { SAMPLE_DIGESTS } from './loadfile/hash-columns.js';
import { loadFileChunks } from './loadfile/writer.js';
import type { PlannedLoadFile } from './plan.js';
import { NO_PADDING, type ArchivePlan, type PaddingSplit } from './plan.js';
import { prepareEntry } from './zip/compress.js';
import { CENTRAL_HEADER_BYTES, endRecords, LOCAL_HEADER_BYTES, MAX_32 } from './zip/records.js';

/** Largest padded document: documents are held whole while written. */
export const MAX_DOCUMENT_BYTES = 256 * 2 ** 20;

/** Documents measured to estimate an archive: enough to average out metadata lengths. */
const SAMPLE_DOCUMENTS = 64;
/** Load-file rows deflated to estimate its compression ratio. */
const SAMPLE_ROWS = 512;
/** Data descriptor after the streamed load file (32-bit sizes). */
const DATA_DESCRIPTOR_BYTES = 16;
/** An audit file (_properties.json) deflated: about 300 bytes whatever the load file. */
const AUDIT_FILE_DEFLATED_BYTES = 300;
/** Deflated size of the answer key over its size (measured: 0.2–0.3). */
const ANSWER_KEY_RATIO = 0.25;
/** Zip64 offset in the central header of an entry past 4 GiB. */
const ZIP64_OFFSET_EXTRA_BYTES = 12;

function sampleIndexes(count: number, samples: number): number[] {
  if (count <= samples) return Array.from({ length: count }, (_, k) => k + 1);
  return Array.from({ length: samples }, (_, k) => 1 + Math.floor((k * (count - 1)) / (samples - 1)));
}

/** Headers of one entry: local and central, each with its name. */
function recordBytes(name: string): number {
  return LOCAL_HEADER_BYTES + CENTRAL_HEADER_BYTES + 2 * Buffer.byteLength(name);
}

/** Bytes an entry's data takes once compressed as the archive would (padding is never compressed). */
function dataBytes(segments: Buffer[], compression: ReturnType<typeof compressionOf>, padding: number): number {
  return prepareEntry(Buffer.alloc(0), segments, compression).compressedSize + padding;
}

/**
 * Estimated archive size: documents and texts measured on an even sample (compressed as the archive
 * compresses them) and scaled, ZIP records counted exactly, the load file's ratio from its first rows.
 */
export function estimateArchiveBytes(plan: ArchivePlan): number {
  const { count } = plan;
  const indexes = sampleIndexes(count, SAMPLE_DOCUMENTS);
  let sampled = 0;
  let entries = 0;
  for (const index of indexes) {
    for (const doc of plan.family(index)) {
      // Compressing padding would only measure random bytes: measure the document without it.
      const unpadded = renderDocument({ ...doc, paddingBytes: 0 }) as Buffer[];
      const padding = documentSize(doc) - unpadded.reduce((sum, part) => sum + part.length, 0);
      sampled += recordBytes(doc.path) + dataBytes(unpadded, compressionOf(plan, doc, 'document', unpadded), padding);
      entries++;
      if (doc.textPath !== null) {
        const text = [Buffer.from(extractedText(doc), 'utf8')];
        sampled += recordBytes(doc.textPath) + dataBytes(text, compressionOf(plan, doc, 'text', text), 0);
        entries++;
      }
    }
  }
  let total = (sampled * count) / indexes.length;
  let entryCount = Math.round((entries * count) / indexes.length);
  for (const loadFile of plan.loadFiles) {
    total += recordBytes(loadFile.name) + estimateLoadFileDeflated(plan, loadFile) + DATA_DESCRIPTOR_BYTES;
    entryCount++;
    if (loadFile.auditName !== null) {
      total += recordBytes(loadFile.auditName) + AUDIT_FILE_DEFLATED_BYTES + DATA_DESCRIPTOR_BYTES;
      entryCount++;
    }
  }
  if (plan.request.chaos) {
    // The answer key: JSON of repeated field names, deflated to about a quarter.
    total += recordBytes(answerKeyName(plan)) + answerKeyBytes(plan, plan.loadFiles.map((loadFile) => loadFile.format)) * ANSWER_KEY_RATIO + DATA_DESCRIPTOR_BYTES;
    entryCount++;
  }
  // Entries past 4 GiB carry a Zip64 offset in their central header.
  if (total > MAX_32) total += ((total - MAX_32) / total) * entryCount * ZIP64_OFFSET_EXTRA_BYTES;
  const centralSize = entryCount * CENTRAL_HEADER_BYTES;
  return Math.round(total + endRecords(entryCount, Math.round(total - centralSize), centralSize).length);
}

/** A load file's deflated size: the first rows' ratio applied to its full length. */
function estimateLoadFileDeflated(plan: ArchivePlan, loadFile: PlannedLoadFile): number {
  const sampleCount = Math.min(plan.count, SAMPLE_ROWS);
  const sample = Buffer.concat([...loadFileChunks(plan, loadFile.format, documentSize, sampleCount, undefined, SAMPLE_DIGESTS)]);
  // Nothing in the first rows (an OPT whose first documents have no images, e.g. a production's of emails): nothing to scale.
  if (sample.length === 0) return 0;
  const ratio = deflateRawSync(sample, { level: 6 }).length / sample.length;
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
