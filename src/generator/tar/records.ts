/**
 * POSIX tar records (pax interchange format, IEEE Std 1003.1-2001): 512-byte ustar headers, with a
 * pax extended header before an entry whose name does not fit ustar's 100-byte name field or is not
 * ASCII (`path`), or whose size does not fit its 11 octal digits (`size`). Everything that could
 * vary by machine is fixed: mode 0644, uid/gid 0, no user or group names, one mtime.
 */

export const BLOCK_BYTES = 512;
/** tar writes (GNU tar, bsdtar, Python) end the archive on a record of 20 blocks; so do we. */
export const RECORD_BYTES = 20 * BLOCK_BYTES;
/** ustar's name field. */
const NAME_BYTES = 100;
/** Largest size in the 12-byte size field as 11 octal digits and a NUL (8 GiB − 1). */
export const MAX_OCTAL_SIZE = 0o77777777777;
/** The name of a pax extended header record itself (what Python's tarfile writes: the same on every machine). */
const PAX_HEADER_NAME = Buffer.from('././@PaxHeader', 'ascii');

const TYPE_FILE = 0x30; // '0'
const TYPE_PAX = 0x78; // 'x'

/** Zero bytes for block padding and the end of the archive. */
export const ZEROS = Buffer.alloc(RECORD_BYTES);

/** Bytes after `size` bytes of data up to the next block boundary. */
export function blockPadding(size: number): number {
  return (BLOCK_BYTES - (size % BLOCK_BYTES)) % BLOCK_BYTES;
}

/** `value` as zero-padded octal filling `length − 1` digits, then a NUL. */
function writeOctal(header: Buffer, offset: number, length: number, value: number): void {
  header.write(value.toString(8).padStart(length - 1, '0'), offset, length - 1, 'ascii');
  header[offset + length - 1] = 0;
}

/** A size past 11 octal digits: base-256 (GNU, read by every current reader) beside the pax `size` record. */
function writeBase256(header: Buffer, offset: number, length: number, value: number): void {
  let rest = BigInt(value);
  for (let k = length - 1; k > 0; k--) {
    header[offset + k] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  header[offset] = 0x80;
}

function ustarHeader(name: Buffer, size: number, type: number, mtime: number): Buffer {
  const header = Buffer.alloc(BLOCK_BYTES);
  name.copy(header, 0, 0, Math.min(name.length, NAME_BYTES));
  writeOctal(header, 100, 8, 0o644); // mode
  writeOctal(header, 108, 8, 0); // uid
  writeOctal(header, 116, 8, 0); // gid
  if (size <= MAX_OCTAL_SIZE) writeOctal(header, 124, 12, size);
  else writeBase256(header, 124, 12, size);
  writeOctal(header, 136, 12, mtime);
  header.fill(0x20, 148, 156); // checksum: spaces while it is summed
  header[156] = type;
  header.write('ustar\u000000', 257, 8, 'ascii'); // magic "ustar\0", version "00"
  // uname and gname (265, 297) stay empty: nothing of the machine that wrote it.
  writeOctal(header, 329, 8, 0); // devmajor
  writeOctal(header, 337, 8, 0); // devminor
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(sum.toString(8).padStart(6, '0'), 148, 6, 'ascii');
  header[154] = 0;
  header[155] = 0x20;
  return header;
}

/** One pax record: "<length> <key>=<value>\n", the length counting its own digits. */
function paxRecord(key: string, value: Buffer): Buffer {
  const rest = Buffer.byteLength(` ${key}=`) + value.length + 1;
  let length = rest + 1;
  while (String(length).length + rest !== length) length = String(length).length + rest;
  return Buffer.concat([Buffer.from(`${length} ${key}=`, 'ascii'), value, Buffer.from('\n', 'ascii')]);
}

/** Whether a name goes into ustar's name field as it is: at most 100 bytes, printable ASCII. */
function fitsUstar(name: Buffer): boolean {
  if (name.length > NAME_BYTES) return false;
  for (const byte of name) if (byte < 0x20 || byte > 0x7e) return false;
  return true;
}

/** The ustar name of an entry whose real name is in its pax header: its first bytes, cut on a UTF-8 character boundary. */
function fallbackName(name: Buffer): Buffer {
  let end = Math.min(name.length, NAME_BYTES);
  while (end > 0 && end < name.length && (name[end]! & 0xc0) === 0x80) end--;
  return name.subarray(0, end);
}

/** Bytes of the headers before an entry's data: 512, or more with a pax extended header. */
export function headerBytes(name: Buffer, size: number): number {
  const pax = paxData(name, size);
  return pax ? 2 * BLOCK_BYTES + pax.length + blockPadding(pax.length) : BLOCK_BYTES;
}

function paxData(name: Buffer, size: number): Buffer | null {
  const records: Buffer[] = [];
  if (!fitsUstar(name)) records.push(paxRecord('path', name));
  if (size > MAX_OCTAL_SIZE) records.push(paxRecord('size', Buffer.from(String(size), 'ascii')));
  return records.length > 0 ? Buffer.concat(records) : null;
}

/** The headers before a regular file's data (a pax extended header first when needed), block-padded. */
export function entryHeaders(name: Buffer, size: number, mtime: number): Buffer[] {
  const pax = paxData(name, size);
  const header = ustarHeader(pax ? fallbackName(name) : name, size, TYPE_FILE, mtime);
  if (!pax) return [header];
  return [ustarHeader(PAX_HEADER_NAME, pax.length, TYPE_PAX, mtime), pax, ZEROS.subarray(0, blockPadding(pax.length)), header];
}
