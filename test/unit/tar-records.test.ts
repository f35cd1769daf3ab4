/** tar headers as node-tar's Header and Pax parsers read them: plain, long or non-ASCII names (pax path), sizes past 8 GiB (pax size + base-256). */
import t from 'tap';
import { Header, Pax } from 'tar';
import { blockPadding, entryHeaders, headerBytes, MAX_OCTAL_SIZE } from '../../src/generator/tar/records.js';

const MTIME = Date.UTC(2020, 0, 1) / 1000;

t.test('a short ASCII name: one ustar header', async (t) => {
  const name = Buffer.from('folder_001/00000001.pdf');
  const headers = entryHeaders(name, 1234, MTIME);
  t.equal(headers.length, 1);
  t.equal(headerBytes(name, 1234), 512);
  const header = new Header(headers[0]!);
  t.ok(header.cksumValid, 'checksum');
  t.match(header, { path: 'folder_001/00000001.pdf', size: 1234, mode: 0o644, uid: 0, gid: 0, type: 'File', uname: '', gname: '' });
  t.equal(header.mtime?.getTime(), MTIME * 1000);
  t.equal(headers[0]!.subarray(257, 265).toString('latin1'), 'ustar\u000000', 'POSIX ustar magic');
});

for (const [label, text] of [
  ['past 100 bytes', `${'n'.repeat(100)}.dat`],
  ['exactly 101 bytes', 'a'.repeat(101)],
  ['non-ASCII', 'folder_001/Müller-été.pdf'],
] as const) {
  t.test(`a name ${label}: a pax path record first`, async (t) => {
    const name = Buffer.from(text, 'utf8');
    const pieces = entryHeaders(name, 10, MTIME);
    const bytes = Buffer.concat(pieces);
    t.equal(bytes.length, headerBytes(name, 10));
    t.equal(bytes.length % 512, 0, 'whole blocks');
    const paxHeader = new Header(bytes.subarray(0, 512));
    t.ok(paxHeader.cksumValid);
    t.equal(paxHeader.type, 'ExtendedHeader');
    const pax = Pax.parse(bytes.subarray(512, 512 + paxHeader.size!).toString('utf8'), {}, false);
    t.equal(pax.path, text, 'pax path is the whole UTF-8 name');
    const entry = new Header(bytes.subarray(bytes.length - 512));
    t.ok(entry.cksumValid);
    t.equal(entry.size, 10);
    const field = bytes.subarray(bytes.length - 512, bytes.length - 412);
    const end = field.indexOf(0);
    t.ok(name.subarray(0, 100).equals(end < 0 ? field : field.subarray(0, end)), "ustar name field: the name's first 100 bytes, for readers without pax");
  });
}

t.test('a size past 8 GiB − 1: pax size, and base-256 in the ustar field', async (t) => {
  const size = 9 * 2 ** 30 + 7;
  t.ok(size > MAX_OCTAL_SIZE);
  const bytes = Buffer.concat(entryHeaders(Buffer.from('archive.dat'), size, MTIME));
  const paxHeader = new Header(bytes.subarray(0, 512));
  const pax = Pax.parse(bytes.subarray(512, 512 + paxHeader.size!).toString('utf8'), {}, false);
  t.equal(pax.size, size, 'pax size');
  const entry = new Header(bytes.subarray(bytes.length - 512));
  t.ok(entry.cksumValid);
  t.equal(entry.size, size, 'base-256 size');
  t.equal(entry.path, 'archive.dat');
});

t.test('block padding', async (t) => {
  t.strictSame([0, 1, 511, 512, 513].map(blockPadding), [0, 511, 1, 0, 511]);
});
