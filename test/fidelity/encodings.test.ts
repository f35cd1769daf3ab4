/**
 * Fidelity: DAT load-file encodings. The same request (same seed, same name) in UTF-8, UTF-16 and
 * ANSI; each load file is decoded with Python's codecs (utf-8 / utf-16-le after an FF FE BOM /
 * cp1252) and checked byte by byte: DC4 (0x14) delimiter, þ qualifier and CRLF in the encoding's
 * own bytes, ® for in-field newlines (never a bare CR/LF), no mojibake. The decoded texts must say
 * the same thing in all three encodings (ANSI: '?' only where cp1252 has no such character).
 */
import t from 'tap';
import { join } from 'node:path';
import { ENCODINGS, type Encoding } from '../../src/generator/loadfile/encoding.js';
import { extract, tempDir } from './lib/files.js';
import { type DatReport, datProblems, readDat } from './lib/layout.js';
import { curlPost, startServer } from './lib/server.js';
import { checkZipAllReaders } from './lib/zip-readers.js';

const COUNT = 200;

// cp1252's 0x80–0x9F block (the rest of its printable range is Latin-1)
const CP1252_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
function inCp1252(ch: string): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  return cp < 0x80 || (cp >= 0xa0 && cp <= 0xff) || CP1252_EXTRA.has(ch);
}

/** Differences between the UTF-8 text and an ANSI text: '?' is allowed where cp1252 lacks the character. */
function ansiDifferences(utf8: string, ansi: string): string[] {
  const a = Array.from(utf8);
  const b = Array.from(ansi);
  const out: string[] = [];
  if (a.length !== b.length) out.push(`length ${b.length} code points, UTF-8 text has ${a.length}`);
  for (let i = 0; i < Math.min(a.length, b.length) && out.length < 10; i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x === y) continue;
    if (y === '?' && !inCp1252(x)) continue;
    out.push(`code point ${i}: UTF-8 has ${JSON.stringify(x)} (U+${(x.codePointAt(0) ?? 0).toString(16)}), ANSI has ${JSON.stringify(y)}`);
  }
  return out;
}

const server = await startServer(t);
const reports = new Map<Encoding, DatReport>();

for (const encoding of ENCODINGS) {
  t.test(`eml load file in ${encoding}`, async (t) => {
    const dir = await tempDir(t);
    const name = 'encodings';
    const request = {
      count: COUNT,
      fileType: 'eml',
      folders: 3,
      distribution: 'exponential',
      withMetadata: true,
      withText: true,
      attachmentRate: 30,
      includeLoadFile: true,
      encoding,
      seed: 1252,
      name,
    };
    const dl = await curlPost(`${server.url}/archives`, request, join(dir, `${encoding}.zip`));
    t.equal(dl.status, 200, 'HTTP 200');
    const zip = await checkZipAllReaders(dl.file);
    t.pass(`all five ZIP readers read ${zip.python.entries.length} entries`);
    const out = join(dir, 'x');
    await extract(dl.file, out, [`${name}.dat`]);
    const dat = await readDat(join(out, `${name}.dat`), encoding);
    t.comment(`BOM: ${dat.bom || 'none'}; ${dat.rows.length} rows; ${dat.registeredSigns} ® in-field newline marks`);
    t.same(dat.problems, [], `${encoding}: decodes strictly; DC4, þ and CRLF present in ${encoding} bytes; no bare LF, no U+FFFD, no mojibake`);
    if (encoding === 'UTF-16') t.equal(dat.bom, 'UTF-16LE', 'UTF-16 is little-endian with a BOM');
    if (encoding === 'ANSI') t.equal(dat.bom, '', 'ANSI has no BOM');
    t.same(datProblems(dat, zip.python.entries, { count: COUNT, withMetadata: true, withText: true, fileType: 'eml' }), [], 'rows match the archive');
    reports.set(encoding, dat);
  });
}

t.test('the three encodings carry the same load file', async (t) => {
  const utf8 = reports.get('UTF-8');
  const utf16 = reports.get('UTF-16');
  const ansi = reports.get('ANSI');
  if (!utf8 || !utf16 || !ansi) {
    t.fail('an encoding test above failed before its load file was read');
    return;
  }
  t.ok(utf16.text === utf8.text, 'UTF-16 text is identical to the UTF-8 text');
  const nonLatin = Array.from(new Set(Array.from(utf8.text).filter((c) => !inCp1252(c))));
  if (nonLatin.length) t.comment(`characters cp1252 cannot hold (→ '?'): ${nonLatin.slice(0, 20).join(' ')}`);
  t.same(ansiDifferences(utf8.text, ansi.text), [], 'ANSI text equals the UTF-8 text (but for unmappable characters)');
  const nonAscii = Array.from(utf8.text).filter((c) => c > '\x7f' && c !== '\u00fe').length;
  t.comment(`${nonAscii} non-ASCII characters besides þ in the load file`);
});

t.test('server logged no errors', async (t) => {
  t.same(server.errors(), [], 'no pino line at level error or fatal');
});
