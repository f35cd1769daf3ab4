/**
 * Minimal hand-written PDF 1.4: one US Letter page showing the control number and metadata in
 * Helvetica, an Info dictionary, a classic xref table. Padding is a separate stream object whose
 * /Length is exact, so any bytes (even "endstream") may fill it.
 *
 * Objects 1-4 never change: they are one precomputed buffer, and only the content stream (5), the
 * Info dictionary (6), the optional padding object (7) and the xref are written per document.
 */
import type { DocumentPart, PlannedDocument } from '../types.js';
import { sharedBytes } from './shared-bytes.js';
import { pdfDate, summaryPairs } from './text.js';

// The binary comment tells transfer tools the file is binary (the padding is).
const HEADER = '%PDF-1.4\n%\xE2\xE3\xCF\xD3\n';
const CATALOG = '1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n';
// Second-class (prefixed) key: readers ignore it, yet the padding object is reachable, not garbage.
const CATALOG_PADDED = '1 0 obj\n<< /Type /Catalog /Pages 2 0 R /ZIPPERPadding 7 0 R >>\nendobj\n';
const OBJ2_4 =
  '2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n' +
  '3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]' +
  ' /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>\nendobj\n' +
  '4 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>\nendobj\n';
const PAD_OBJ_START = '7 0 obj\n<< /Length ';
const PAD_OBJ_DICT_END = ' >>\nstream\n';
const PAD_OBJ_END = '\nendstream\nendobj\n';
const EOF = '\n%%EOF\n';

function off10(n: number): string {
  const s = String(n);
  return '0000000000'.slice(s.length) + s + ' 00000 n \n';
}

/** Objects 1-4, and the xref table up to object 4, for the plain and the padded layout. */
function layout(catalog: string, objects: number) {
  const prefix = HEADER + catalog + OBJ2_4;
  const o2 = HEADER.length + catalog.length;
  const o3 = prefix.indexOf('3 0 obj');
  const o4 = prefix.indexOf('4 0 obj');
  return {
    prefix: sharedBytes(Buffer.from(prefix, 'latin1')),
    xrefHead: `xref\n0 ${objects}\n0000000000 65535 f \n${off10(HEADER.length)}${off10(o2)}${off10(o3)}${off10(o4)}`,
    trailer: `trailer\n<< /Size ${objects} /Root 1 0 R /Info 6 0 R >>\nstartxref\n`,
  };
}
const PLAIN = layout(CATALOG, 7);
const PADDED = layout(CATALOG_PADDED, 8);

// Unicode characters that WinAnsiEncoding places at 0x80-0x9F (Latin-1 0xA0-0xFF maps to itself).
const WIN_ANSI_HIGH = new Map<number, string>();
[
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
  0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
].forEach((u, i) => {
  if (u) WIN_ANSI_HIGH.set(u, String.fromCharCode(0x80 + i));
});

// Anything but printable ASCII other than ( ) \ needs work.
const NOT_PLAIN = /[^\x20-\x27\x2a-\x5b\x5d-\x7e]/;

/**
 * A PDF literal string body for the WinAnsi-encoded font: ( ) \ escaped, Latin-1 kept as single
 * bytes (the whole file is built as a latin1 string), WinAnsi punctuation mapped, else '?'.
 */
export function pdfText(s: string): string {
  if (!NOT_PLAIN.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x28 || c === 0x29 || c === 0x5c) out += '\\' + s[i];
    else if (c > 0xff) out += WIN_ANSI_HIGH.get(c) ?? '?';
    else if (c < 0x20 || (c >= 0x7f && c < 0xa0)) out += '?';
    else out += s[i];
  }
  return out;
}

/**
 * Metadata values come from small lists (names, subjects, custodians), so their escaped forms are
 * worth remembering; the bound keeps arbitrary strings from growing the cache without end.
 */
function memoized(escape: (s: string) => string): (s: string) => string {
  const cache = new Map<string, string>();
  return (s) => {
    let escaped = cache.get(s);
    if (escaped === undefined) {
      escaped = escape(s);
      if (cache.size >= 20_000) cache.clear();
      cache.set(s, escaped);
    }
    return escaped;
  };
}

const pooledPageText = memoized(pdfText);

/** Info dictionary text string: literal when printable ASCII, else UTF-16BE hex with BOM. */
function infoString(s: string): string {
  if (!/[^\x20-\x7e]/.test(s)) return `(${pdfText(s)})`;
  let hex = '<FEFF';
  for (let i = 0; i < s.length; i++) {
    const h = s.charCodeAt(i).toString(16).toUpperCase();
    hex += '000'.slice(h.length - 1) + h;
  }
  return hex + '>';
}

/** For values drawn from the metadata pools (not control numbers: each is new, caching them would only churn). */
const pooledInfoString = memoized(infoString);

/** Objects 5 (content stream) and 6 (Info) as one latin1 string, and the length of object 5. */
function documentObjects(doc: PlannedDocument): { text: string; obj5: number } {
  let content = `BT\n/F1 20 Tf\n72 712 Td\n(${pdfText(doc.controlNumber)}) Tj\n/F1 11 Tf\n0 -14 Td\n`;
  for (const [label, value, pooled] of summaryPairs(doc)) content += `0 -16 Td\n(${label}${pooled ? pooledPageText(value) : pdfText(value)}) Tj\n`;
  content += 'ET\n';
  const obj5 = `5 0 obj\n<< /Length ${content.length} >>\nstream\n${content}endstream\nendobj\n`;
  const obj6 =
    `6 0 obj\n<< /Title ${infoString(doc.controlNumber)} /Author ${pooledInfoString(doc.author)}` +
    ` /Subject ${pooledInfoString(doc.subject)} /Creator (Zipper) /Producer (Zipper)` +
    ` /CreationDate (${pdfDate(doc.dateSent)}) >>\nendobj\n`;
  return { text: obj5 + obj6, obj5: obj5.length };
}

/** The fixed objects (shared by every PDF), then this document's own bytes. */
function plain(objs: { text: string; obj5: number }): Buffer[] {
  const at5 = PLAIN.prefix.length;
  const xrefPos = at5 + objs.text.length;
  const tail = PLAIN.xrefHead + off10(at5) + off10(at5 + objs.obj5) + PLAIN.trailer + xrefPos + EOF;
  return [PLAIN.prefix, Buffer.from(objs.text + tail, 'latin1')];
}

/** Bytes of the xref table, trailer and %%EOF of an unpadded PDF (each xref entry is 20 bytes). */
const PLAIN_TAIL_FIXED = PLAIN.xrefHead.length + 2 * 20 + PLAIN.trailer.length + EOF.length;

/** The unpadded PDF as one buffer (also the email attachment). */
export function pdfBytes(doc: PlannedDocument): Buffer {
  return Buffer.concat(plain(documentObjects(doc)));
}

/** pdfBytes(doc).length without building the bytes: the load file's File Size column asks it of every row. */
export function pdfLength(doc: PlannedDocument): number {
  const xrefPos = PLAIN.prefix.length + documentObjects(doc).text.length;
  return xrefPos + PLAIN_TAIL_FIXED + digits(xrefPos);
}

function digits(n: number): number {
  return n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10000 ? 4 : String(n).length;
}

/**
 * Padding of P bytes costs a catalog key, the object's framing, an xref entry and the growth of
 * startxref; the hole gets the rest, so the size is exact when P covers that (the /Length field is
 * space-padded to a width chosen so that a solution exists). Smaller P: whichever of "no object"
 * and "empty object" lands nearer (error at most half the structure, < 64 bytes).
 */
export function renderPdf(doc: PlannedDocument): DocumentPart[] {
  const objs = documentObjects(doc);
  const p = doc.paddingBytes;
  if (p <= 0) return plain(objs);
  const n = objs.text.length;
  const plainXref = PLAIN.prefix.length + n;
  const target = plainXref + PLAIN.xrefHead.length + 40 + PLAIN.trailer.length + digits(plainXref) + EOF.length + p;
  const xrefFixed = PADDED.xrefHead.length + 60 + PADDED.trailer.length + EOF.length; // without startxref digits
  const framing = (w: number): number =>
    PADDED.prefix.length + n + PAD_OBJ_START.length + w + PAD_OBJ_DICT_END.length + PAD_OBJ_END.length;
  let width = digits(p);
  let hole = -1;
  for (let w = width; w <= width + 1 && hole < 0; w++) {
    for (let d = 1; d <= 16; d++) {
      const h = target - xrefFixed - framing(w) - d;
      if (h >= 0 && digits(framing(w) + h) === d) {
        hole = h;
        width = w;
        break;
      }
    }
  }
  if (hole < 0) {
    // P smaller than the structure: compare an empty padding object with no padding at all.
    const emptySize = framing(width) + xrefFixed + digits(framing(width));
    if (emptySize - target > p) return plain(objs);
    hole = 0;
  }
  const at5 = PADDED.prefix.length;
  const at7 = at5 + n;
  const before = objs.text + PAD_OBJ_START + String(hole).padEnd(width, ' ') + PAD_OBJ_DICT_END;
  const xrefPos = at5 + before.length + hole + PAD_OBJ_END.length;
  const after =
    PAD_OBJ_END + PADDED.xrefHead + off10(at5) + off10(at5 + objs.obj5) + off10(at7) + PADDED.trailer + xrefPos + EOF;
  if (hole === 0) return [PADDED.prefix, Buffer.from(before + after, 'latin1')];
  return [PADDED.prefix, Buffer.from(before, 'latin1'), { padding: hole }, Buffer.from(after, 'latin1')];
}
