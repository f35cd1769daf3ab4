/**
 * Baseline grayscale JPEG, hand-assembled once at module load (no encoder dependency at run time):
 * a 128x128 diagonal gradient coded with DC coefficients only. Per document: a COM segment with
 * the control number after SOI/APP0, and padding as further COM segments before the frame.
 */
import type { DocumentPart, PlannedDocument } from '../types.js';
import { sharedBytes } from './shared-bytes.js';

export const JPEG_WIDTH = 128;
export const JPEG_HEIGHT = 128;
/** Quantiser of every coefficient; with only DC coded, a block's pixels are DC*Q/8 + 128. */
const Q = 8;
const MAX_COM_PAYLOAD = 65533; // segment length field (2 bytes) counts itself
const COM_OVERHEAD = 4; // FF FE + length

/** Gray level of the 8x8 block (bx, by); exported so tests can check decoded pixels. */
export function jpegBlockLevel(bx: number, by: number): number {
  return 24 + (bx + by) * 7; // 24 … 234
}

// Annex K.3 luminance DC table (categories 0-11).
const DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_VALS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
// AC table with the single symbol EOB (0x00), code '0': every block ends right after DC.
const AC_BITS = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const AC_VALS = [0];

function canonicalCodes(bits: number[], vals: number[]): Map<number, [code: number, len: number]> {
  const out = new Map<number, [number, number]>();
  let code = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    for (let i = 0; i < bits[len - 1]!; i++) out.set(vals[k++]!, [code++, len]);
    code <<= 1;
  }
  return out;
}

function entropyData(): Buffer {
  const dc = canonicalCodes(DC_BITS, DC_VALS);
  const eob = canonicalCodes(AC_BITS, AC_VALS).get(0)!;
  const out: number[] = [];
  let acc = 0;
  let n = 0;
  const put = (code: number, len: number): void => {
    for (let i = len - 1; i >= 0; i--) {
      acc = (acc << 1) | ((code >> i) & 1);
      if (++n === 8) {
        out.push(acc);
        if (acc === 0xff) out.push(0x00); // byte stuffing
        acc = 0;
        n = 0;
      }
    }
  };
  let prev = 0;
  for (let by = 0; by < JPEG_HEIGHT / 8; by++) {
    for (let bx = 0; bx < JPEG_WIDTH / 8; bx++) {
      const value = ((jpegBlockLevel(bx, by) - 128) * 8) / Q;
      const diff = value - prev;
      prev = value;
      const mag = Math.abs(diff);
      const cat = mag === 0 ? 0 : 32 - Math.clz32(mag);
      const [code, len] = dc.get(cat)!;
      put(code, len);
      if (cat > 0) put(diff >= 0 ? diff : diff + (1 << cat) - 1, cat);
      put(eob[0], eob[1]);
    }
  }
  if (n > 0) put((1 << (8 - n)) - 1, 8 - n); // pad the last byte with 1-bits
  return Buffer.from(out);
}

function segment(marker: number, payload: number[]): number[] {
  const len = payload.length + 2;
  return [0xff, marker, len >> 8, len & 0xff, ...payload];
}

const HEAD = sharedBytes(Buffer.from([
  0xff, 0xd8, // SOI
  // APP0 JFIF 1.01, no density units, aspect 1:1, no thumbnail
  ...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
]));

const TAIL = sharedBytes(Buffer.concat([
  Buffer.from([
    ...segment(0xdb, [0x00, ...new Array<number>(64).fill(Q)]), // DQT 8-bit table 0
    // SOF0: 8-bit, height, width, one component id 1, 1x1 sampling, table 0
    ...segment(0xc0, [8, JPEG_HEIGHT >> 8, JPEG_HEIGHT & 0xff, JPEG_WIDTH >> 8, JPEG_WIDTH & 0xff, 1, 1, 0x11, 0]),
    ...segment(0xc4, [0x00, ...DC_BITS, ...DC_VALS, 0x10, ...AC_BITS, ...AC_VALS]), // DHT DC0 + AC0
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]), // SOS: one component, tables 0/0, Ss 0, Se 63, Ah/Al 0
  ]),
  entropyData(),
  Buffer.from([0xff, 0xd9]), // EOI
]));

function comHeader(payloadLength: number): Buffer {
  const len = payloadLength + 2;
  return Buffer.from([0xff, 0xfe, len >> 8, len & 0xff]);
}

/** COM carrying the control number (ASCII; anything else is fine in COM but keep it readable). */
function idSegment(doc: PlannedDocument): Buffer {
  const text = `Zipper placeholder ${doc.controlNumber}`;
  const b = Buffer.allocUnsafe(COM_OVERHEAD + text.length);
  comHeader(text.length).copy(b, 0);
  b.write(text, COM_OVERHEAD, 'latin1');
  return b;
}

export function renderJpeg(doc: PlannedDocument): DocumentPart[] {
  const p = doc.paddingBytes;
  // Below one segment header (P < 4) padding is dropped: off by at most 3 bytes.
  if (p < COM_OVERHEAD) return [HEAD, idSegment(doc), TAIL];
  const parts: DocumentPart[] = [HEAD, idSegment(doc)];
  const segments = Math.ceil(p / (MAX_COM_PAYLOAD + COM_OVERHEAD));
  let payload = p - segments * COM_OVERHEAD;
  for (let i = 0; i < segments; i++) {
    const n = Math.min(MAX_COM_PAYLOAD, payload);
    payload -= n;
    parts.push(comHeader(n));
    if (n > 0) parts.push({ padding: n });
  }
  parts.push(TAIL);
  return parts;
}
