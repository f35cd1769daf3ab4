/**
 * The files one production record puts in the archive, with their bytes: the single description
 * of them that both the sequential entries (stock engine, tests) and the workers' batches read.
 */
import { renderTiff } from '../documents/tiff.js';
import { compressionOf, documentSegments, fillPadding } from '../entries.js';
import type { Compression } from '../zip/compress.js';
import type { ProductionEntry, ProductionPlan, ProductionRecord, ProductionSet } from './plan.js';

/** One file of a record, ready to be compressed or stored. */
export interface RecordFile {
  record: ProductionRecord;
  entry: ProductionEntry;
  /** The archive entry's name (`<set id>/<path>`). */
  name: string;
  segments: Buffer[];
  compression: Compression;
}

/** `Extracted text for document <BATES>.` and a line of what it is. */
export function productionText(record: ProductionRecord, redacted = false): string {
  const what = redacted ? 'Redacted text' : 'Extracted text';
  return `${what} for document ${record.bates}.\r\n\r\n${record.doc.type.toUpperCase()} document ${record.doc.controlNumber}, volume ${record.volume}, custodian ${record.custodian}.\r\n`;
}

/** One record file's bytes. */
function fileSegments(plan: ProductionPlan, record: ProductionRecord, entry: ProductionEntry): Buffer[] {
  switch (entry.kind) {
    case 'native':
    case 'placeholder':
      // A placeholder is a valid file of the native's type: the path keeps the native's extension.
      return documentSegments(plan.archive, record.doc);
    case 'image': {
      const key = record.imageFiles.length === 1 ? record.bates : `${record.bates}_${String(entry.page).padStart(3, '0')}`;
      return fillPadding(renderTiff({ ...record.doc, controlNumber: key, paddingBytes: 0 }, { pages: 1 }), plan.request.seed, record.doc.index);
    }
    case 'redacted-image':
      // Every page in one file: the one REDACTED_IMAGE_PATH names.
      return fillPadding(renderTiff({ ...record.doc, controlNumber: record.bates, paddingBytes: 0 }, { pages: record.doc.pageCount }), plan.request.seed, record.doc.index);
    case 'text':
      return [Buffer.from(productionText(record), 'utf8')];
    case 'redacted-text':
      return [Buffer.from(productionText(record, true), 'utf8')];
  }
}

/** The files of one record, in streaming order. */
export function* recordFiles(plan: ProductionPlan, set: ProductionSet, record: ProductionRecord): Generator<RecordFile> {
  for (const entry of plan.entries(record)) {
    const segments = fileSegments(plan, record, entry);
    const textual = entry.kind === 'text' || entry.kind === 'redacted-text';
    const image = entry.kind === 'image' || entry.kind === 'redacted-image';
    const doc = image ? { ...record.doc, type: 'tiff' as const } : record.doc;
    yield { record, entry, name: plan.entryName(set, entry.path), segments, compression: compressionOf(plan.archive, doc, textual ? 'text' : 'document', segments) };
  }
}
