/**
 * Chaos, document level: a planned document's stored bytes → the bytes of one byte anomaly.
 *
 * Pure and deterministic: every choice comes from the Rng the caller seeds for the document (a fresh
 * one per call, in the same state for apply, describe and size), so workers, the plan's answer key
 * and the load file agree by construction. The input segments are never written to (pieces every
 * document shares and padding windows are shared memory): a result reuses them as sub-arrays and
 * allocates only the few bytes it changes.
 *
 * What breaks, per type (verified in test/fidelity/document-anomalies.test.ts, padded or not):
 * - doc-truncated: a seeded 20–80 % prefix, moved where the type's own tool can tell (a PDF loses its
 *   xref table, an email its closing boundary or half a header name); never 0 bytes.
 * - doc-corrupt: the same length, the structure its tool needs overwritten (see CORRUPTIONS).
 * - doc-zero-byte: nothing.
 * - doc-wrong-extension: the bytes of a document of another type (unpadded), under this one's name.
 */
import { documentSize, renderDocument } from '../documents/index.js';
import { emlShape, renderEml } from '../documents/eml.js';
import type { Rng } from '../random.js';
import { FILE_TYPES, type DocumentPart, type FileType, type PlannedDocument } from '../types.js';

export const BYTE_ANOMALIES = ['doc-truncated', 'doc-corrupt', 'doc-zero-byte', 'doc-wrong-extension'] as const;
export type ByteAnomaly = (typeof BYTE_ANOMALIES)[number];

const MIN_SHARE = 0.2;
const MAX_SHARE = 0.8;

/** Type names as the answer key says them. */
const TYPE_NAMES: Record<FileType, string> = { pdf: 'PDF', jpg: 'JPEG', tiff: 'TIFF', eml: 'email', docx: 'DOCX', xlsx: 'XLSX' };

/** The type the stored bytes really are: an attachment that is a document of its own is a PDF. */
function nativeType(doc: PlannedDocument): FileType {
  return doc.attachmentOf ? 'pdf' : doc.type;
}

/** The seeded decisions, drawn in one fixed order. */
interface Decision {
  /** doc-truncated: the share of bytes kept, before the type moves the cut where its tool can tell. */
  share: number;
  /** doc-wrong-extension: the type whose bytes are stored instead. */
  other: FileType;
}

function decide(type: ByteAnomaly, doc: PlannedDocument, rng: Rng): Decision {
  const decision: Decision = { share: 0, other: nativeType(doc) };
  if (type === 'doc-truncated') decision.share = MIN_SHARE + (MAX_SHARE - MIN_SHARE) * rng.float();
  if (type === 'doc-wrong-extension') {
    const others = FILE_TYPES.filter((t) => t !== doc.type && t !== nativeType(doc));
    decision.other = others[rng.below(others.length)]!;
  }
  return decision;
}

// ---------------------------------------------------------------------------------------------
// Byte plumbing over segment lists (no copies of what stays).

function total(parts: readonly DocumentPart[]): number {
  let n = 0;
  for (const p of parts) n += Buffer.isBuffer(p) ? p.length : p.padding;
  return n;
}

/** The first `length` bytes, as sub-arrays of the segments. */
function prefix(segments: readonly Buffer[], length: number): Buffer[] {
  const out: Buffer[] = [];
  let left = length;
  for (const s of segments) {
    if (left <= 0) break;
    out.push(s.length <= left ? s : s.subarray(0, left));
    left -= s.length;
  }
  return out;
}

/** The segments with `bytes` written over them at absolute offsets (sorted, non-overlapping, inside the document). */
function patch(segments: readonly Buffer[], edits: ReadonlyArray<[offset: number, bytes: Buffer]>): Buffer[] {
  const out: Buffer[] = [];
  let e = 0;
  let pos = 0; // absolute offset of the next byte to emit
  let start = 0; // absolute offset of the current segment
  for (const s of segments) {
    const end = start + s.length;
    let local = pos - start;
    while (local < s.length) {
      const edit = edits[e];
      if (edit === undefined || edit[0] >= end) {
        out.push(local === 0 ? s : s.subarray(local));
        pos = end;
        break;
      }
      const [offset, bytes] = edit;
      if (offset > start + local) out.push(s.subarray(local, offset - start));
      out.push(bytes);
      pos = offset + bytes.length;
      local = pos - start;
      e++;
    }
    start = end;
  }
  return out;
}

/** Absolute offset of `needle` in the last segment (the tail every renderer writes per document), or -1. */
function lastIndexInTail(segments: readonly DocumentPart[], needle: string): number {
  const last = segments[segments.length - 1];
  if (!Buffer.isBuffer(last)) return -1;
  const i = last.lastIndexOf(needle, undefined, 'latin1');
  return i < 0 ? -1 : total(segments) - last.length + i;
}

function indexInTail(segments: readonly DocumentPart[], needle: Buffer): number {
  const last = segments[segments.length - 1];
  if (!Buffer.isBuffer(last)) return -1;
  const i = last.indexOf(needle);
  return i < 0 ? -1 : total(segments) - last.length + i;
}

function readUInt32LE(segments: readonly Buffer[], offset: number): number {
  let start = 0;
  for (const s of segments) {
    if (offset < start + s.length) {
      if (offset + 4 <= start + s.length) return s.readUInt32LE(offset - start);
      const b = Buffer.alloc(4);
      for (let k = 0; k < 4; k++) b[k] = byteAt(segments, offset + k);
      return b.readUInt32LE(0);
    }
    start += s.length;
  }
  throw new RangeError(`offset ${offset} past the document`);
}

function byteAt(segments: readonly Buffer[], offset: number): number {
  let start = 0;
  for (const s of segments) {
    if (offset < start + s.length) return s[offset - start]!;
    start += s.length;
  }
  throw new RangeError(`offset ${offset} past the document`);
}

// ---------------------------------------------------------------------------------------------
// doc-truncated: where the cut goes.

interface Cut {
  /** Bytes kept. */
  keep: number;
  /** Why the tool notices, for the answer key. */
  effect: string;
}

/** A PDF's xref table offset from its parts (holes stand for padding; only the tail is read). */
function pdfXrefOffset(parts: readonly DocumentPart[]): number {
  const at = lastIndexInTail(parts, '\nxref\n');
  if (at < 0) throw new Error('PDF without an xref table in its tail');
  return at + 1;
}

/** The header block of a single-part email: the lines that begin a field, as [start, name length]. */
function headerFieldStarts(head: string): Array<[start: number, nameLength: number]> {
  const starts: Array<[number, number]> = [];
  let at = 0;
  while (at < head.length) {
    const end = head.indexOf('\r\n', at);
    if (end <= at) break; // the blank line
    const c = head[at];
    if (c !== ' ' && c !== '\t') starts.push([at, head.indexOf(':', at) - at]);
    at = end + 2;
  }
  return starts;
}

/** Where doc-truncated cuts; `parts` are the document's bytes when in hand (else its structure is rendered, unpadded). */
function truncation(doc: PlannedDocument, size: number, share: number, parts?: readonly Buffer[]): Cut {
  let keep = Math.min(size - 1, Math.max(1, Math.round(share * size)));
  switch (nativeType(doc)) {
    case 'pdf': {
      const xref = pdfXrefOffset(parts ?? renderDocument(doc));
      keep = Math.min(keep, xref);
      return { keep, effect: 'the PDF has no xref table, trailer or %%EOF' };
    }
    case 'jpg':
      return { keep, effect: 'the JPEG stops before its image data ends (no EOI)' };
    case 'tiff':
      return { keep, effect: 'the TIFF\'s image strips end early or are gone' };
    case 'docx':
    case 'xlsx':
      return { keep, effect: `the ${TYPE_NAMES[doc.type]} package (a ZIP) has no central directory` };
    case 'eml': {
      const shape = emlShape(doc);
      if (shape.multipart) {
        const closing = `--=_${doc.controlNumber}--\r\n`.length;
        keep = Math.min(Math.max(keep, shape.headerBytes), size - closing);
        return { keep, effect: 'the multipart email never closes its boundary' };
      }
      // Single part: a parser cannot tell a short body; half a field name without colon it can. The
      // cut moves back into the headers, to the field that holds it (the last field if it fell in the body).
      const head = ((parts ?? renderEml(doc))[0] as Buffer).toString('latin1', 0, shape.headerBytes);
      const fields = headerFieldStarts(head);
      const target = Math.min(keep, shape.headerBytes);
      let pick = fields[0]!;
      for (const f of fields) if (f[0] <= target) pick = f;
      keep = pick[0] + Math.max(1, Math.floor(pick[1] / 2));
      const half = head.slice(pick[0], keep);
      return { keep, effect: `its headers end in "${half}", half a field name with no colon, and the body is gone` };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// doc-corrupt: same length, structure overwritten.

const PDF_HEADER_BROKEN = Buffer.from('%XDF-0.0', 'latin1'); // over "%PDF-1.4"
const PDF_OBJ_BROKEN = Buffer.from('1 0 ojb', 'latin1'); // over "1 0 obj" (the catalog)
const PDF_XREF_BROKEN = Buffer.from('xrfe', 'latin1');
const JPEG_SOF = Buffer.from([0xff, 0xc0]);
const JPEG_DHT = Buffer.from([0xff, 0xc4]);
const ZERO_BYTE = Buffer.from([0]);
const JPEG_JUNK_MARKER = Buffer.from([0xc8]); // JPG: reserved, never valid in a baseline file
const TIFF_BROKEN_COUNT = Buffer.from([0xff, 0xff]);
const SPACE = Buffer.from(' ', 'latin1');
const ZIP_CD_BROKEN = Buffer.from('PK\x00\x00', 'latin1');
const DIGIT_NINE = 0x39;

/** How doc-corrupt breaks each type, for the answer key. */
const CORRUPTIONS: Record<FileType, string> = {
  pdf: 'its header, catalog object and xref keyword are overwritten and startxref points past the end, so no PDF reader finds /Root',
  jpg: 'its frame header (SOF0) says 0-bit samples and its Huffman table\'s marker is now the reserved JPG marker (FFC8), which decoders refuse',
  tiff: 'its first IFD claims 65,535 entries, far past the end of the file',
  eml: 'its Date field has lost its colon: the header block ends there and the rest (MIME structure included) reads as body',
  docx: 'the first header of its ZIP central directory has lost its signature, so the package does not open',
  xlsx: 'the first header of its ZIP central directory has lost its signature, so the package does not open',
};

function corrupt(doc: PlannedDocument, segments: Buffer[]): Buffer[] {
  const size = total(segments);
  switch (nativeType(doc)) {
    case 'pdf': {
      const startxref = lastIndexInTail(segments, 'startxref\n');
      const digits = startxref + 'startxref\n'.length;
      let n = 0;
      while (digits + n < size && byteAt(segments, digits + n) !== 0x0a) n++;
      const xref = pdfXrefOffset(segments);
      // The catalog follows the 15-byte header; "1 0 obj" is the first thing there.
      return patch(segments, [
        [0, PDF_HEADER_BROKEN],
        [15, PDF_OBJ_BROKEN],
        [xref, PDF_XREF_BROKEN],
        [digits, Buffer.alloc(n, DIGIT_NINE)],
      ]);
    }
    case 'jpg': {
      const sof = indexInTail(segments, JPEG_SOF);
      const dht = indexInTail(segments, JPEG_DHT);
      // SOF0: FF C0, length (2), precision: set to 0. DHT's marker byte becomes reserved JPG (C8).
      return patch(segments, [
        [sof + 4, ZERO_BYTE],
        [dht + 1, JPEG_JUNK_MARKER],
      ]);
    }
    case 'tiff': {
      const ifd = readUInt32LE(segments, 4);
      return patch(segments, [[ifd, TIFF_BROKEN_COUNT]]);
    }
    case 'eml': {
      const first = segments[0]!;
      const date = first.indexOf('\r\nDate:', 0, 'latin1');
      if (date < 0) throw new Error(`${doc.controlNumber}: email without a Date field`);
      return patch(segments, [[date + 6, SPACE]]);
    }
    case 'docx':
    case 'xlsx': {
      // End of central directory record (no comment): the central directory's offset at +16.
      const cd = readUInt32LE(segments, size - 22 + 16);
      return patch(segments, [[cd, ZIP_CD_BROKEN]]);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// doc-wrong-extension.

/** The unpadded document of `other` type with this document's metadata. */
function otherDocument(doc: PlannedDocument, other: FileType): PlannedDocument {
  return { ...doc, type: other, attachmentOf: null, hasAttachment: false, pageCount: 1, paddingBytes: 0 };
}

// ---------------------------------------------------------------------------------------------

/**
 * The document's stored bytes (segments as the archive holds them, padding included) → the
 * anomaly's bytes. The segments are not modified; the result may share memory with them.
 */
export function applyByteAnomaly(type: ByteAnomaly, doc: PlannedDocument, segments: Buffer[], rng: Rng): Buffer[] {
  const decision = decide(type, doc, rng);
  switch (type) {
    case 'doc-truncated':
      return prefix(segments, truncation(doc, total(segments), decision.share, segments).keep);
    case 'doc-corrupt':
      return corrupt(doc, segments);
    case 'doc-zero-byte':
      return [];
    case 'doc-wrong-extension':
      // No padding, no holes: every part is a Buffer.
      return renderDocument(otherDocument(doc, decision.other)) as Buffer[];
  }
}

/**
 * Size of the anomaly's bytes without producing them (the load file's File Size when it tells the
 * truth). Pass an Rng in the state applyByteAnomaly gets.
 */
export function byteAnomalySize(type: ByteAnomaly, doc: PlannedDocument, rng: Rng): number {
  const decision = decide(type, doc, rng);
  switch (type) {
    case 'doc-truncated':
      return truncation(doc, documentSize(doc), decision.share).keep;
    case 'doc-corrupt':
      return documentSize(doc);
    case 'doc-zero-byte':
      return 0;
    case 'doc-wrong-extension':
      return documentSize(otherDocument(doc, decision.other));
  }
}

function bytes(n: number): string {
  return `${n.toLocaleString('en-US')} byte${n === 1 ? '' : 's'}`;
}

/**
 * One sentence for the answer key. Pass an Rng in the state applyByteAnomaly gets (doc-truncated
 * and doc-wrong-extension draw from it). Sizes come from the plan without producing padding; a
 * truncated single-part email and a truncated PDF render their unpadded structure (no padding
 * bytes) to say where the cut lands.
 */
export function describeByteAnomaly(type: ByteAnomaly, doc: PlannedDocument, rng: Rng): string {
  const decision = decide(type, doc, rng);
  const own = TYPE_NAMES[nativeType(doc)];
  switch (type) {
    case 'doc-truncated': {
      const size = documentSize(doc);
      const cut = truncation(doc, size, decision.share);
      const pct = Math.round((cut.keep / size) * 100);
      return `Cut to ${pct} % of its ${bytes(size)} (${bytes(cut.keep)} kept): ${cut.effect}.`;
    }
    case 'doc-corrupt':
      return `Same ${bytes(documentSize(doc))}, but ${CORRUPTIONS[nativeType(doc)]}.`;
    case 'doc-zero-byte':
      return `Empty: 0 bytes instead of its ${documentSize(doc).toLocaleString('en-US')}-byte ${own}.`;
    case 'doc-wrong-extension': {
      const other = decision.other;
      const size = documentSize(otherDocument(doc, other));
      const ext = doc.path.slice(doc.path.lastIndexOf('.'));
      return `Holds the ${bytes(size)} of ${other === 'eml' ? 'an' : 'a'} ${TYPE_NAMES[other]} instead of its ${own}, under the ${ext} name.`;
    }
  }
}
