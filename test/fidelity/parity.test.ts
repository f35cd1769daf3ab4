/**
 * Fidelity of the parity features with Debian's tools: EDRM XML through xmllint, CSV through
 * Python's csv module, multipage TIFFs through tiffinfo (one G4 directory per page) and identify.
 */
import t from 'tap';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { identifyCheck, tiffinfoCheck } from './lib/document-validators.js';
import { extract, listFiles, tempDir } from './lib/files.js';
import { requireTool, runOk, runPythonProgram } from './lib/process.js';
import { curlPost, startServer } from './lib/server.js';
import { checkZipAllReaders } from './lib/zip-readers.js';

const server = await startServer(t);

t.test('EDRM XML, CSV, multipage TIFF', async (t) => {
  const dir = await tempDir(t);
  const request = {
    count: 150,
    fileTypes: { tiff: 60, eml: 30, pdf: 10 },
    attachmentRate: 40,
    tiffPages: { min: 1, max: 5 },
    bates: { prefix: 'ZIP', digits: 7 },
    withMetadata: true,
    withText: true,
    loadFileFormats: ['dat', 'csv', 'edrm-xml', 'opt', 'concordance'],
    seed: 44,
    name: 'parity',
  };
  const dl = await curlPost(`${server.url}/archives`, request, join(dir, 'parity.zip'));
  t.equal(dl.status, 200);
  await checkZipAllReaders(dl.file);
  const out = join(dir, 'x');
  await extract(dl.file, out);

  requireTool('xmllint', 'libxml2-utils');
  await runOk('xmllint', ['--noout', join(out, 'parity.xml')]);
  t.pass('xmllint: parity.xml is well-formed');

  const csv = await runPythonProgram('check_csv.py', [join(out, 'parity.csv'), join(out, 'parity.dat')]);
  t.match(csv.stdout, /^150 rows/, `Python csv: ${csv.stdout.trim()}`);

  const tiffs = (await listFiles(out)).filter((file) => file.endsWith('.tiff')).map((file) => join(out, file));
  t.equal(tiffs.length, 90, '60 % of 150 documents are TIFFs');
  const pages = await tiffinfoCheck(tiffs);
  await identifyCheck(tiffs);
  const dat = (await readFile(join(out, 'parity.dat'), 'utf8')).trimEnd().split('\r\n').map((line) => line.split('\u0014').map((field) => field.slice(1, -1)));
  const [header, ...rows] = dat;
  const pageColumn = header!.indexOf('Page Count');
  const pathColumn = header!.indexOf('File Path');
  const expected = new Map(rows.map((row) => [join(out, row[pathColumn]!), Number(row[pageColumn])]));
  t.same(pages, tiffs.map((file) => expected.get(file)), 'tiffinfo lists as many G4 directories as the Page Count column says');
  const opt = (await readFile(join(out, 'parity.opt'), 'utf8')).trimEnd().split('\r\n');
  const imagePages = rows.filter((row) => !row[pathColumn]!.endsWith('.eml')).reduce((sum, row) => sum + Number(row[pageColumn] || 1), 0);
  t.equal(opt.length, imagePages, 'one OPT line per image page');
});
