/**
 * Little-endian bilevel TIFF, CCITT Group 4 (T.6). The page image (a framed "letter" of text
 * bars) is encoded once at module load; per document only the IFDs are written.
 * Layout: header | IFD per page | shared tag values | padding hole | one strip per page.
 * Readers follow offsets, so the hole is never read; no unknown tags (libtiff would warn).
 */
import type { DocumentPart, PlannedDocument } from '../types.js';
import { sharedBytes } from './shared-bytes.js';
import { tiffDateTime } from './text.js';

export const TIFF_WIDTH = 816; // US Letter at 96 dpi
export const TIFF_HEIGHT = 1056;
const DPI = 96;

/** The page: 1 = black. Exported so tests can compare decoded pixels. */
export function tiffPageBitmap(): Uint8Array[] {
  const rows: Uint8Array[] = [];
  const m = 48; // frame margin
  const t = 3; // frame thickness
  for (let y = 0; y < TIFF_HEIGHT; y++) {
    const row = new Uint8Array(TIFF_WIDTH);
    const inFrameY = y >= m && y < TIFF_HEIGHT - m;
    if (inFrameY) {
      if (y < m + t || y >= TIFF_HEIGHT - m - t) row.fill(1, m, TIFF_WIDTH - m);
      else {
        row.fill(1, m, m + t);
        row.fill(1, TIFF_WIDTH - m - t, TIFF_WIDTH - m);
      }
    }
    // Heading bar, then "text lines" of varying length (9 px high every 20 px).
    if (y >= 96 && y < 120) row.fill(1, 96, 420);
    if (y >= 160 && y < TIFF_HEIGHT - 120) {
      const line = Math.floor((y - 160) / 20);
      if ((y - 160) % 20 < 9 && line % 8 !== 7) {
        const len = 300 + ((line * 137) % 320);
        // Words: 5-70 px black runs separated by 7 px gaps.
        let x = 96;
        let w = line;
        while (x < 96 + len) {
          const wl = 5 + ((w * 53) % 66);
          row.fill(1, x, Math.min(x + wl, 96 + len));
          x += wl + 7;
          w++;
        }
      }
    }
    rows.push(row);
  }
  return rows;
}

// T.4 code tables as [bit length, code] pairs.
// prettier-ignore
const WHITE_TERM: number[] = [
  8,0x35, 6,0x07, 4,0x07, 4,0x08, 4,0x0b, 4,0x0c, 4,0x0e, 4,0x0f, 5,0x13, 5,0x14, 5,0x07, 5,0x08,
  6,0x08, 6,0x03, 6,0x34, 6,0x35, 6,0x2a, 6,0x2b, 7,0x27, 7,0x0c, 7,0x08, 7,0x17, 7,0x03, 7,0x04,
  7,0x28, 7,0x2b, 7,0x13, 7,0x24, 7,0x18, 8,0x02, 8,0x03, 8,0x1a, 8,0x1b, 8,0x12, 8,0x13, 8,0x14,
  8,0x15, 8,0x16, 8,0x17, 8,0x28, 8,0x29, 8,0x2a, 8,0x2b, 8,0x2c, 8,0x2d, 8,0x04, 8,0x05, 8,0x0a,
  8,0x0b, 8,0x52, 8,0x53, 8,0x54, 8,0x55, 8,0x24, 8,0x25, 8,0x58, 8,0x59, 8,0x5a, 8,0x5b, 8,0x4a,
  8,0x4b, 8,0x32, 8,0x33, 8,0x34,
];
// prettier-ignore
const WHITE_MAKEUP: number[] = [ // 64, 128, … 1728
  5,0x1b, 5,0x12, 6,0x17, 7,0x37, 8,0x36, 8,0x37, 8,0x64, 8,0x65, 8,0x68, 8,0x67, 9,0xcc, 9,0xcd,
  9,0xd2, 9,0xd3, 9,0xd4, 9,0xd5, 9,0xd6, 9,0xd7, 9,0xd8, 9,0xd9, 9,0xda, 9,0xdb, 9,0x98, 9,0x99,
  9,0x9a, 6,0x18, 9,0x9b,
];
// prettier-ignore
const BLACK_TERM: number[] = [
  10,0x37, 3,0x02, 2,0x03, 2,0x02, 3,0x03, 4,0x03, 4,0x02, 5,0x03, 6,0x05, 6,0x04, 7,0x04, 7,0x05,
  7,0x07, 8,0x04, 8,0x07, 9,0x18, 10,0x17, 10,0x18, 10,0x08, 11,0x67, 11,0x68, 11,0x6c, 11,0x37,
  11,0x28, 11,0x17, 11,0x18, 12,0xca, 12,0xcb, 12,0xcc, 12,0xcd, 12,0x68, 12,0x69, 12,0x6a, 12,0x6b,
  12,0xd2, 12,0xd3, 12,0xd4, 12,0xd5, 12,0xd6, 12,0xd7, 12,0x6c, 12,0x6d, 12,0xda, 12,0xdb, 12,0x54,
  12,0x55, 12,0x56, 12,0x57, 12,0x64, 12,0x65, 12,0x52, 12,0x53, 12,0x24, 12,0x37, 12,0x38, 12,0x27,
  12,0x28, 12,0x58, 12,0x59, 12,0x2b, 12,0x2c, 12,0x5a, 12,0x66, 12,0x67,
];
// prettier-ignore
const BLACK_MAKEUP: number[] = [ // 64, 128, … 1728
  10,0x0f, 12,0xc8, 12,0xc9, 12,0x5b, 12,0x33, 12,0x34, 12,0x35, 13,0x6c, 13,0x6d, 13,0x4a, 13,0x4b,
  13,0x4c, 13,0x4d, 13,0x72, 13,0x73, 13,0x74, 13,0x75, 13,0x76, 13,0x77, 13,0x52, 13,0x53, 13,0x54,
  13,0x55, 13,0x5a, 13,0x5b, 13,0x64, 13,0x65,
];
// Vertical mode codes for a1 - b1 = -3 … 3, as [length, code].
// prettier-ignore
const VERTICAL: number[] = [7,0x02, 6,0x02, 3,0x02, 1,0x01, 3,0x03, 6,0x03, 7,0x03];

class BitWriter {
  private bytes: number[] = [];
  private acc = 0;
  private n = 0;
  put(code: number, len: number): void {
    for (let i = len - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((code >> i) & 1);
      if (++this.n === 8) {
        this.bytes.push(this.acc);
        this.acc = 0;
        this.n = 0;
      }
    }
  }
  finish(): Buffer {
    if (this.n > 0) this.put(0, 8 - this.n);
    return Buffer.from(this.bytes);
  }
}

// prettier-ignore
const EXTENDED_MAKEUP: number[] = [ // 1792, 1856, … 2560, both colours
  11,0x08, 11,0x0c, 11,0x0d, 12,0x12, 12,0x13, 12,0x14, 12,0x15, 12,0x16, 12,0x17, 12,0x1c, 12,0x1d,
  12,0x1e, 12,0x1f,
];

function putRun(w: BitWriter, run: number, black: boolean): void {
  const term = black ? BLACK_TERM : WHITE_TERM;
  const makeup = black ? BLACK_MAKEUP : WHITE_MAKEUP;
  while (run >= 2624) {
    w.put(0x1f, 12); // 2560
    run -= 2560;
  }
  if (run >= 64) {
    const k = (run >> 6) - 1;
    if (k < 27) w.put(makeup[2 * k + 1]!, makeup[2 * k]!);
    else w.put(EXTENDED_MAKEUP[2 * (k - 27) + 1]!, EXTENDED_MAKEUP[2 * (k - 27)]!);
    run &= 63;
  }
  w.put(term[2 * run + 1]!, term[2 * run]!);
}

/** First x >= start with row[x] !== color (width when none). */
function nextChange(row: Uint8Array, start: number, color: number): number {
  let x = start;
  while (x < row.length && row[x] === color) x++;
  return x;
}

/** T.6 two-dimensional coding of one row against the reference row (pass/vertical/horizontal). */
function encodeRow(w: BitWriter, cur: Uint8Array, ref: Uint8Array): void {
  const width = cur.length;
  let a0 = -1; // imaginary white element before the row
  let color = 0;
  while (a0 < width) {
    const from = a0 < 0 ? 0 : a0;
    const a1 = nextChange(cur, from, color);
    // b1: first element of ref right of a0 whose color is opposite to a0's and follows a change.
    let b1: number;
    if (a0 < 0) b1 = ref[0] !== 0 ? 0 : nextChange(ref, 0, 0);
    else b1 = nextChange(ref, nextChange(ref, a0, 1 - color), color);
    const b2 = b1 < width ? nextChange(ref, b1, ref[b1]!) : width;
    if (b2 < a1) {
      w.put(0x1, 4); // pass
      a0 = b2;
    } else if (a1 - b1 >= -3 && a1 - b1 <= 3) {
      const k = a1 - b1 + 3;
      w.put(VERTICAL[2 * k + 1]!, VERTICAL[2 * k]!);
      a0 = a1;
      color = 1 - color;
    } else {
      const a2 = a1 < width ? nextChange(cur, a1, 1 - color) : width;
      w.put(0x1, 3); // horizontal
      putRun(w, a1 - from, color === 1);
      putRun(w, a2 - a1, color === 0);
      a0 = a2;
    }
  }
}

/** G4 strip of a bitmap (rows of 0/1), ending with EOFB, zero-filled to a byte. */
export function encodeG4(rows: Uint8Array[], width: number): Buffer {
  const w = new BitWriter();
  let ref: Uint8Array = new Uint8Array(width);
  for (const row of rows) {
    encodeRow(w, row, ref);
    ref = row;
  }
  w.put(0x001, 12);
  w.put(0x001, 12);
  return w.finish();
}

const STRIP = sharedBytes(encodeG4(tiffPageBitmap(), TIFF_WIDTH));

const SHORT = 3;
const LONG = 4;
const ASCII = 2;
const RATIONAL = 5;
const IFD_START = 8;
const SOFTWARE = 'Zipper\0';
const DATETIME_LENGTH = 20; // "YYYY:MM:DD HH:MM:SS\0"

function ascii7(s: string): string {
  return /^[\x20-\x7e]*$/.test(s) ? s : s.replace(/[^\x20-\x7e]/g, '?');
}

export interface TiffOptions {
  /** Pages (one IFD and strip each), default 1. */
  pages?: number;
}

interface Template {
  /** Header, IFDs and tag values with everything fixed for this name length and page count. */
  bytes: Buffer;
  /** Where each page's StripOffsets value goes. */
  stripOffsetAt: number[];
  dateAt: number;
  nameAt: number;
}

/**
 * Header | IFD per page | XResolution | YResolution | Software | DateTime | DocumentName.
 * The name comes last so nothing else moves with its length; values start on word boundaries.
 */
function buildTemplate(nameLength: number, pages: number): Template {
  const multi = pages > 1;
  const tagCount = multi ? 17 : 16;
  const ifdSize = 2 + tagCount * 12 + 4;
  const xresAt = IFD_START + pages * ifdSize;
  const yresAt = xresAt + 8;
  const softwareAt = yresAt + 8;
  const dateAt = softwareAt + SOFTWARE.length + (SOFTWARE.length & 1);
  const nameAt = dateAt + DATETIME_LENGTH;
  const b = Buffer.alloc(nameAt + nameLength);
  b.write('II', 0, 'latin1');
  b.writeUInt16LE(42, 2);
  b.writeUInt32LE(IFD_START, 4);
  const stripOffsetAt: number[] = [];
  for (let page = 0; page < pages; page++) {
    let p = IFD_START + page * ifdSize;
    b.writeUInt16LE(tagCount, p);
    p += 2;
    const tag = (id: number, type: number, count: number, value: number): void => {
      b.writeUInt16LE(id, p);
      b.writeUInt16LE(type, p + 2);
      b.writeUInt32LE(count, p + 4);
      if (type === SHORT && count === 1) b.writeUInt16LE(value, p + 8);
      else b.writeUInt32LE(value, p + 8);
      p += 12;
    };
    tag(256, SHORT, 1, TIFF_WIDTH); // ImageWidth
    tag(257, SHORT, 1, TIFF_HEIGHT); // ImageLength
    tag(258, SHORT, 1, 1); // BitsPerSample
    tag(259, SHORT, 1, 4); // Compression: CCITT T.6
    tag(262, SHORT, 1, 0); // PhotometricInterpretation: WhiteIsZero
    tag(269, ASCII, nameLength, nameAt); // DocumentName
    stripOffsetAt.push(p + 8);
    tag(273, LONG, 1, 0); // StripOffsets, per document
    tag(277, SHORT, 1, 1); // SamplesPerPixel
    tag(278, LONG, 1, TIFF_HEIGHT); // RowsPerStrip
    tag(279, LONG, 1, STRIP.length); // StripByteCounts
    tag(282, RATIONAL, 1, xresAt); // XResolution
    tag(283, RATIONAL, 1, yresAt); // YResolution
    tag(293, LONG, 1, 0); // T6Options
    tag(296, SHORT, 1, 2); // ResolutionUnit: inch
    if (multi) {
      // PageNumber: two SHORTs inline (page, total)
      b.writeUInt16LE(297, p);
      b.writeUInt16LE(SHORT, p + 2);
      b.writeUInt32LE(2, p + 4);
      b.writeUInt16LE(page, p + 8);
      b.writeUInt16LE(pages, p + 10);
      p += 12;
    }
    tag(305, ASCII, SOFTWARE.length, softwareAt); // Software
    tag(306, ASCII, DATETIME_LENGTH, dateAt); // DateTime
    b.writeUInt32LE(page + 1 < pages ? IFD_START + (page + 1) * ifdSize : 0, p); // next IFD
    if (p + 4 !== IFD_START + (page + 1) * ifdSize) throw new Error('TIFF IFD size mismatch');
  }
  b.writeUInt32LE(DPI, xresAt);
  b.writeUInt32LE(1, xresAt + 4);
  b.writeUInt32LE(DPI, yresAt);
  b.writeUInt32LE(1, yresAt + 4);
  b.write(SOFTWARE, softwareAt, 'latin1');
  return { bytes: b, stripOffsetAt, dateAt, nameAt };
}

const templates = new Map<number, Template>();

function template(nameLength: number, pages: number): Template {
  const key = pages * 65536 + nameLength;
  let t = templates.get(key);
  if (!t) {
    t = buildTemplate(nameLength, pages);
    if (templates.size < 256) templates.set(key, t);
  }
  return t;
}

export function renderTiff(doc: PlannedDocument, options: TiffOptions = {}): DocumentPart[] {
  const pages = Math.max(1, Math.floor(options.pages ?? 1));
  const name = ascii7(doc.controlNumber);
  const t = template(name.length + 1, pages);
  const head = t.bytes.length;
  const p = doc.paddingBytes;
  // The strips (the same bytes in every file) follow the header, after the hole when padded.
  const b = Buffer.allocUnsafe(head);
  t.bytes.copy(b, 0);
  const stripsAt = head + p;
  for (let page = 0; page < pages; page++) b.writeUInt32LE(stripsAt + page * STRIP.length, t.stripOffsetAt[page]!);
  b.write(tiffDateTime(doc.dateSent), t.dateAt, 'latin1'); // the NUL after it is in the template
  b.write(name, t.nameAt, 'latin1');
  b[head - 1] = 0;
  const parts: DocumentPart[] = p > 0 ? [b, { padding: p }] : [b];
  for (let page = 0; page < pages; page++) parts.push(STRIP);
  return parts;
}
