/**
 * RFC 5322 / MIME email, CRLF, 7-bit clean, lines <= 78 where the content allows (<= 998 always).
 *
 * Padding choice: an email is 7-bit text, so raw random bytes (NUL, bare CR/LF, 0x80-0xFF, endless
 * lines) can never sit in it validly — Content-Transfer-Encoding: binary would need BINARYMIME and
 * breaks RFC 5322 line rules. So an email carries no hole: the caller passes `fill(n)` (its
 * seed-derived bytes) and the padding is written as base64-alphabet lines in the multipart
 * PREAMBLE, which RFC 2046 says readers ignore. Unlike an extra MIME part it adds no attachment
 * (mailparser, Python's email and review tools see the same parts as the load file says), and the
 * preamble is plain text, so its size is exact to the byte. A single-part email becomes
 * multipart/mixed (one text/plain part) when padded.
 */
import type { DocumentPart, Person, PlannedDocument } from '../types.js';
import { pdfBytes } from './pdf.js';
import { attachmentName, emailBodyLines, rfc5322Date } from './text.js';

/** Source of padding bytes: n bytes, any values. */
export type PaddingFill = (n: number) => Buffer;

const CRLF = '\r\n';
const FOLD_AT = 78;
const B64_LINE = 76;
const QP_LINE = 76;
const TEXT_7BIT = `Content-Type: text/plain; charset=utf-8${CRLF}Content-Transfer-Encoding: 7bit${CRLF}`;
const TEXT_QP = `Content-Type: text/plain; charset=utf-8${CRLF}Content-Transfer-Encoding: quoted-printable${CRLF}`;

// Display name made of atoms (RFC 5322 atext) separated by single spaces: safe unquoted.
const ATOMS = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+(?: [A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+)*$/;
const ADDR_SAFE = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.@]*$/;
const PRINTABLE = /^[\x20-\x7e]*$/;

function isPrintableAscii(s: string): boolean {
  return PRINTABLE.test(s);
}

/** RFC 2047 B encoded-words, each whole UTF-8 characters and <= 39 bytes (64 chars encoded). */
function encodedWords(s: string): string[] {
  const words: string[] = [];
  let chunk = '';
  let bytes = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    const n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (bytes + n > 39) {
      words.push(`=?utf-8?B?${Buffer.from(chunk, 'utf8').toString('base64')}?=`);
      chunk = '';
      bytes = 0;
    }
    chunk += ch;
    bytes += n;
  }
  if (chunk) words.push(`=?utf-8?B?${Buffer.from(chunk, 'utf8').toString('base64')}?=`);
  return words;
}

/** Display name as foldable tokens: atoms, one quoted-string, or encoded-words. */
function phraseTokens(name: string): string[] {
  if (!isPrintableAscii(name)) return encodedWords(name);
  if (ATOMS.test(name) && !name.includes('=?')) return name.split(' ');
  let q = '"';
  for (let i = 0; i < name.length; i++) {
    const ch = name[i]!;
    q += ch === '"' || ch === '\\' ? '\\' + ch : ch;
  }
  return [q + '"'];
}

/** addr-spec with anything outside atext / '.' / '@' replaced, so the header always parses. */
function addrSpec(address: string): string {
  return ADDR_SAFE.test(address) ? address : address.replace(/[^A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.@]/g, '_');
}

function mailboxTokens(p: Person): string[] {
  const addr = addrSpec(p.address);
  if (!p.name) return [addr];
  const t = phraseTokens(p.name);
  t.push(`<${addr}>`);
  return t;
}

/** "Name: t1 t2 …" folded (CRLF SP) before a token that would pass column 78. */
function header(name: string, tokens: string[]): string {
  let out = name + ':';
  let col = out.length;
  for (const t of tokens) {
    if (t.length > 0 && col + 1 + t.length > FOLD_AT && col > name.length + 1) {
      out += CRLF + ' ' + t;
      col = 1 + t.length;
    } else {
      out += ' ' + t;
      col += 1 + t.length;
    }
  }
  return out + CRLF;
}

function subjectTokens(subject: string): string[] {
  // Printable ASCII folds at its own spaces (unfolding restores it); anything else, a literal
  // "=?" or an unbreakable run too long for a line is sent as encoded-words.
  if (isPrintableAscii(subject) && !subject.includes('=?')) {
    const words = subject.split(' ');
    let ok = true;
    for (const w of words) if (w.length > 900) ok = false;
    if (ok) return words;
  }
  return encodedWords(subject);
}

function hex2(b: number): string {
  return (b < 16 ? '=0' : '=') + b.toString(16).toUpperCase();
}

/** Quoted-printable (RFC 2045 6.7) of CRLF-separated lines, soft breaks at 76 columns. */
function quotedPrintable(lines: string[]): string {
  let out = '';
  for (const line of lines) {
    const bytes = Buffer.from(line, 'utf8');
    let col = 0;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      const lit = (b >= 33 && b <= 126 && b !== 61) || (b === 32 && i < bytes.length - 1);
      const rep = lit ? String.fromCharCode(b) : hex2(b);
      if (col + rep.length > QP_LINE - 1) {
        out += '=' + CRLF;
        col = 0;
      }
      out += rep;
      col += rep.length;
    }
    out += CRLF;
  }
  return out;
}

// Anything but printable ASCII without '=' (line ends aside) needs quoted-printable.
const NOT_7BIT = /[^\x20-\x3c\x3e-\x7e\r\n]/;

/** Body text and its transfer encoding: 7bit when plain, short-lined and free of '='. */
function textBody(doc: PlannedDocument): { headers: string; body: string } {
  const lines = emailBodyLines(doc);
  const body = lines.join(CRLF) + CRLF;
  // No '=' in a 7bit body means the boundary ("=_…") can never appear in it.
  let plain = !NOT_7BIT.test(body) && !body.includes(' \r\n');
  for (let i = 0; plain && i < lines.length; i++) plain = lines[i]!.length <= QP_LINE;
  return plain ? { headers: TEXT_7BIT, body } : { headers: TEXT_QP, body: quotedPrintable(lines) };
}

/** Base64 of `data` in CRLF-terminated lines of 76 characters. */
function base64Text(data: Buffer): string {
  const b64 = data.toString('base64');
  let s = '';
  for (let i = 0; i < b64.length; i += B64_LINE) s += b64.slice(i, i + B64_LINE) + CRLF;
  return s;
}

interface Layout {
  /** Headers and, for a single-part message, the body. */
  head: string;
  /** Bytes of preamble padding between head and tail (0 = none). */
  preamble: number;
  tail: string;
}

function commonHeaders(doc: PlannedDocument): string {
  const to: string[] = [];
  for (let i = 0; i < doc.to.length; i++) {
    const t = mailboxTokens(doc.to[i]!);
    if (i < doc.to.length - 1) t[t.length - 1] += ',';
    for (const x of t) to.push(x);
  }
  const id = `<${doc.controlNumber}.${Math.floor(doc.dateSent.getTime() / 1000).toString(36)}@zipper.invalid>`;
  return (
    header('From', mailboxTokens(doc.from)) +
    (to.length ? header('To', to) : '') +
    header('Subject', subjectTokens(doc.subject)) +
    `Date: ${rfc5322Date(doc.dateSent)}${CRLF}` +
    `Message-ID: ${id}${CRLF}` +
    `MIME-Version: 1.0${CRLF}`
  );
}

function layout(doc: PlannedDocument): Layout {
  const common = commonHeaders(doc);
  const { headers: textHeaders, body } = textBody(doc);
  const p = doc.paddingBytes;
  const single = common + textHeaders + CRLF + body;
  if (!doc.hasAttachment && p <= 0) return { head: single, preamble: 0, tail: '' };

  const boundary = `=_${doc.controlNumber}`;
  const delim = `--${boundary}${CRLF}`;
  const head = common + `Content-Type: multipart/mixed; boundary="${boundary}"${CRLF}${CRLF}`;
  let tail = delim + textHeaders + CRLF + body;
  if (doc.hasAttachment) {
    const name = attachmentName(doc);
    tail +=
      delim +
      `Content-Type: application/pdf; name="${name}"${CRLF}` +
      `Content-Disposition: attachment; filename="${name}"${CRLF}` +
      `Content-Transfer-Encoding: base64${CRLF}${CRLF}` +
      base64Text(pdfBytes(doc));
  }
  tail += `--${boundary}--${CRLF}`;

  // Structure a padded single-part message gains by becoming multipart.
  const extra = doc.hasAttachment ? 0 : head.length + tail.length - single.length;
  if (p < extra) {
    // Below that structure: whichever of "unpadded" and "multipart without preamble" is nearer.
    return 2 * p < extra ? { head: single, preamble: 0, tail: '' } : { head, preamble: 0, tail };
  }
  const preamble = p - extra;
  return { head, preamble: preamble >= 2 ? preamble : 0, tail }; // a line needs at least its CRLF
}

/**
 * `bytes` of preamble: base64 text of fill bytes (no '-', no '=': it can never form a boundary),
 * in CRLF lines of at most 76 characters. Never decoded by readers, so it is cut to size.
 */
function preambleText(bytes: number, fill: PaddingFill): Buffer {
  const lines = Math.ceil(bytes / (B64_LINE + 2));
  const chars = bytes - 2 * lines; // <= 76 * lines
  const out = Buffer.allocUnsafe(bytes);
  out.write(fill(Math.ceil((chars * 3) / 4)).toString('base64'), 0, chars, 'latin1');
  // Spread the text into lines in place, last line first (copyWithin is a memmove).
  const full = Math.floor(chars / B64_LINE);
  let end = bytes;
  if (chars % B64_LINE > 0 || full < lines) {
    // A short last line; any lines still missing after it are empty.
    const rest = chars - full * B64_LINE;
    const extraEmpty = lines - full - 1;
    for (let k = 0; k < extraEmpty; k++) {
      out[--end] = 10;
      out[--end] = 13;
    }
    out[--end] = 10;
    out[--end] = 13;
    end -= rest;
    out.copyWithin(end, full * B64_LINE, chars);
  }
  for (let k = full - 1; k >= 0; k--) {
    out[--end] = 10;
    out[--end] = 13;
    end -= B64_LINE;
    out.copyWithin(end, k * B64_LINE, (k + 1) * B64_LINE);
  }
  return out;
}

/**
 * Where an email's header block ends (its blank line included) and whether it is multipart, without
 * producing padding: the chaos anomalies cut an email where a parser can tell.
 */
export function emlShape(doc: PlannedDocument): { headerBytes: number; multipart: boolean; size: number } {
  const l = layout(doc);
  const multipart = l.tail.length > 0;
  const headerBytes = multipart ? l.head.length : l.head.indexOf(CRLF + CRLF) + 4;
  return { headerBytes, multipart, size: l.head.length + l.preamble + l.tail.length };
}

/** Exact byte size of the rendered email, without producing padding. */
export function emlSize(doc: PlannedDocument): number {
  const l = layout(doc);
  return l.head.length + l.preamble + l.tail.length;
}

/**
 * The email as literal parts only (no holes). `fill` supplies the padding bytes and is
 * required when doc.paddingBytes > 0.
 */
export function renderEml(doc: PlannedDocument, fill?: PaddingFill): DocumentPart[] {
  const l = layout(doc);
  if (l.preamble === 0) return [Buffer.from(l.head + l.tail, 'latin1')];
  if (!fill) throw new Error('renderEml: padding an email needs a fill function');
  return [Buffer.from(l.head, 'latin1'), preambleText(l.preamble, fill), Buffer.from(l.tail, 'latin1')];
}
