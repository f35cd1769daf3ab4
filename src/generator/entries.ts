import { Readable } from 'node:stream';
import { documentSize, renderDocument, partsSize } from './documents/index.js';
import { extractedText } from './documents/text.js';
import { datChunks } from './loadfile/dat.js';
import type { ArchivePlan } from './plan.js';
import { paddingBytes } from './random.js';
import type { DocumentPart, FileType, PlannedDocument } from './types.js';

export type EntryKind = 'document' | 'text' | 'loadfile';

/** One file of the archive, in archive order. */
export interface ArchiveEntry {
  name: string;
  kind: EntryKind;
  /** Whole bytes, or a stream for entries too large to hold (the load file). */
  data: Buffer | Readable;
  /** Stored (true) or deflated. */
  store: boolean;
  /** The document this entry belongs to (1-based), 0 for the load file. */
  index: number;
}

/** Types whose bytes are already compressed: deflating them again gains nothing. */
const PRECOMPRESSED: ReadonlySet<FileType> = new Set(['jpg']);

/**
 * Stored or deflated, per `compression`: auto deflates what compresses and stores incompressible
 * bytes (padded documents, JPEG data). The load file is always deflated: it is streamed, and a stored
 * stream needs a data descriptor, which Java's ZipInputStream rejects.
 */
export function storesEntry(plan: ArchivePlan, kind: EntryKind, doc?: PlannedDocument): boolean {
  const { compression } = plan.request;
  if (kind === 'loadfile' || compression === 'deflate') return false;
  if (compression === 'store') return true;
  return kind === 'document' && doc !== undefined && (doc.paddingBytes > 0 || PRECOMPRESSED.has(doc.type));
}

/** Document i's seed-derived padding, for renderers that encode it themselves (email). */
function paddingFill(seed: number, index: number) {
  return (length: number) => paddingBytes(seed, index, length);
}

/** Fills a rendered document's padding holes with its seed-derived incompressible bytes. */
export function materialize(parts: DocumentPart[], seed: number, index: number): Buffer {
  if (parts.length === 1 && Buffer.isBuffer(parts[0])) return parts[0];
  const holes = parts.reduce((sum, part) => (Buffer.isBuffer(part) ? sum : sum + part.padding), 0);
  const fill = holes > 0 ? paddingBytes(seed, index, holes) : Buffer.alloc(0);
  let offset = 0;
  const buffers = parts.map((part) => {
    if (Buffer.isBuffer(part)) return part;
    const slice = fill.subarray(offset, offset + part.padding);
    offset += part.padding;
    return slice;
  });
  return Buffer.concat(buffers, partsSize(parts));
}

/** Every entry of the archive in order: each document, its text beside it, then the load file. */
export function* archiveEntries(plan: ArchivePlan): Generator<ArchiveEntry> {
  const { seed } = plan.request;
  for (let index = 1; index <= plan.count; index++) {
    const doc = plan.document(index);
    yield {
      name: doc.path,
      kind: 'document',
      data: materialize(renderDocument(doc, { fill: paddingFill(seed, index) }), seed, index),
      store: storesEntry(plan, 'document', doc),
      index,
    };
    if (doc.textPath !== null) {
      yield {
        name: doc.textPath,
        kind: 'text',
        data: Buffer.from(extractedText(doc), 'utf8'),
        store: storesEntry(plan, 'text', doc),
        index,
      };
    }
  }
  const loadFileName = plan.loadFileName;
  if (loadFileName !== null) {
    yield {
      name: loadFileName,
      kind: 'loadfile',
      data: Readable.from(datChunks(plan, documentSize), { objectMode: false }),
      store: false,
      index: 0,
    };
  }
}
