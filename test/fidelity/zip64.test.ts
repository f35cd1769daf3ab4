/**
 * Fidelity: 70,000 PDFs (+ load file) — more than 65,535 entries, so the archive needs the Zip64
 * end records. Every reader must see every entry: 7zz, Python zipfile (plus our own check of the
 * end-record counts, which zipfile ignores), Java ZipInputStream, unzip and bsdtar; a spread sample
 * of 200 PDFs passes qpdf and the DAT has one row per document.
 */
import t from 'tap';
import { join } from 'node:path';
import { checkDocuments, sample } from './lib/document-validators.js';
import { extract, tempDir } from './lib/files.js';
import { datProblems, layoutProblems, readDat } from './lib/layout.js';
import { curlPost, startServer } from './lib/server.js';
import { checkZipAllReaders } from './lib/zip-readers.js';

const COUNT = 70_000;
const FOLDERS = 10;

const server = await startServer(t);

t.test(`pdf: ${COUNT.toLocaleString('en')} documents (Zip64)`, async (t) => {
  const dir = await tempDir(t);
  const name = 'zip64';
  const request = { count: COUNT, fileType: 'pdf', folders: FOLDERS, distribution: 'proportional', withMetadata: true, withText: false, includeLoadFile: true, seed: 65536, name };
  const dl = await curlPost(`${server.url}/archives`, request, join(dir, `${name}.zip`));
  t.equal(dl.status, 200, 'HTTP 200');
  t.comment(`${dl.bytes} bytes in ${dl.seconds.toFixed(2)} s (${Math.round(COUNT / dl.seconds)} documents/s over HTTP)`);

  const started = Date.now();
  const zip = await checkZipAllReaders(dl.file);
  t.comment(`five readers took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  t.equal(zip.python.entries.length, COUNT + 1, `central directory lists ${COUNT + 1} entries`);
  t.equal(zip.java.entries, COUNT + 1, 'java ZipInputStream streamed every entry');
  t.equal(zip.sevenZip.files, COUNT + 1, '7zz tested every entry');
  t.ok(zip.python.eocd.zip64, 'Zip64 end of central directory record + locator present');
  t.equal(zip.python.eocd.zip64Entries, COUNT + 1, 'Zip64 end record holds the real entry count');
  t.equal(zip.python.eocd.entries, 0xffff, 'classic end record count is 0xFFFF');
  t.same(
    layoutProblems(zip.python.entries, { count: COUNT, fileType: 'pdf', folders: FOLDERS, distribution: 'proportional', withText: false, includeLoadFile: true, name }),
    [],
    'layout of all 70,000 documents',
  );

  const picked = sample(
    zip.python.entries.filter((e) => e.name.endsWith('.pdf')).map((e) => e.name),
    200,
  );
  const out = join(dir, 'x');
  await extract(dl.file, out, [...picked, `${name}.dat`]);
  const summary = await checkDocuments(
    'pdf',
    picked.map((p) => join(out, p)),
  );
  t.pass(`${summary.checked} sampled pdf (first, last and spread) pass ${summary.detail}`);

  const dat = await readDat(join(out, `${name}.dat`), 'UTF-8');
  t.same(datProblems(dat, zip.python.entries, { count: COUNT, withMetadata: true, withText: false, fileType: 'pdf' }), [], `DAT has ${COUNT} rows matching the entries`);
});

t.test('server logged no errors', async (t) => {
  t.same(server.errors(), [], 'no pino line at level error or fatal');
});
