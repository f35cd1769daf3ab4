/**
 * Fidelity of a production set with Debian's tools: a small redacted production of mixed types
 * (PDF, DOCX, XLSX, JPEG, multipage TIFF, emails with attachments as documents of their own, text)
 * from the real server, read by every ZIP reader, extracted, every file checked by its own
 * validator, and the DAT and OPT read by a Python importer (check_production.py) that resolves
 * every path they name.
 */
import t from 'tap';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { djpegCheck, emlCheck, identifyCheck, ooxmlCheck, qpdfCheck, tiffinfoCheck } from './lib/document-validators.js';
import { extract, listFiles, tempDir } from './lib/files.js';
import { FIDELITY_DIR, PYTHON, describeResult, requireTool, run } from './lib/process.js';
import { curlPost, startServer } from './lib/server.js';
import { checkZipAllReaders } from './lib/zip-readers.js';

const server = await startServer(t);

const ID = 'FID_PROD001';
const COUNT = 60;

t.test('a redacted production of mixed types, with families, multipage TIFFs and text', async (t) => {
  const dir = await tempDir(t);
  const request = {
    count: COUNT,
    fileTypes: { pdf: 20, docx: 15, xlsx: 15, jpg: 15, tiff: 15, eml: 20 },
    withFamilies: true,
    attachmentRate: 60,
    tiffPages: { min: 2, max: 4 },
    withText: true,
    bates: { prefix: 'FID', start: 1, digits: 7 },
    production: { id: ID, volumeSize: 25, redacted: { withheldNativePolicy: 'keep-native' } },
    seed: 1212,
  };
  const dl = await curlPost(`${server.url}/archives`, request, join(dir, 'production.zip'));
  t.equal(dl.status, 200, 'HTTP 200');
  t.match(dl.headers['content-type'] ?? '', /^application\/zip/);

  const zip = await checkZipAllReaders(dl.file);
  t.pass(`unzip -tqq, 7zz t, bsdtar stream, python zipfile, java ZipInputStream all read ${zip.python.entries.length} entries`);

  const out = join(dir, 'x');
  await extract(dl.file, out);
  const root = join(out, ID);
  const all = await listFiles(out);
  t.same(all.filter((file) => !file.startsWith(`${ID}/`)), [], 'every file is in the set\'s folder');
  const files = all.map((file) => file.slice(ID.length + 1));
  const under = (folder: string, extension: string) => files.filter((file) => file.startsWith(folder) && file.endsWith(`.${extension}`)).map((file) => join(root, file));
  t.same([...new Set(files.filter((file) => /^(NATIVES|IMAGES|TEXT)\//.test(file)).map((file) => file.split('/')[1]))].sort(), ['VOL001', 'VOL002', 'VOL003'], '60 documents in volumes of 25');

  // The load files, read by an importer of our own in Python.
  requireTool(PYTHON, 'python3');
  const importer = await run(PYTHON, [join(FIDELITY_DIR, 'check_production.py'), root, join(root, 'DATA', 'archive.dat'), join(root, 'DATA', 'archive.opt')]);
  if (importer.code !== 0) t.comment(describeResult(importer));
  t.equal(importer.code, 0, 'check_production.py accepts the DAT and OPT');
  const report = JSON.parse(importer.stdout) as { columns: string[]; rows: number; optLines: number; pathsChecked: number; pages: Record<string, number>; problems: string[] };
  t.same(report.problems, [], 'DAT (þ quotes, DC4 delimiters, every path resolves, FILE_SIZE) and OPT (7 fields, breaks, page counts, paths)');
  t.ok(report.rows > COUNT, `${report.rows} rows: attachments are rows of their own`);
  t.ok(report.optLines > report.rows, `${report.optLines} OPT lines: multipage documents`);
  t.same(
    report.columns,
    [
      'DOCID', 'BATES_NUMBER', 'VOLUME', 'NATIVE_PATH', 'TEXT_PATH', 'IMAGE_PATH', 'CUSTODIAN', 'DATE_CREATED', 'FILE_SIZE', 'FILE_TYPE',
      'REDACTED_IMAGE_PATH', 'REDACTED_TEXT_PATH', 'NATIVE_WITHHELD', 'REDACTION_REASON',
      'Attachment', 'EmailSubject', 'EmailFrom', 'EmailTo', 'EmailCC', 'EmailSentDate',
      'BEGATTACH', 'ENDATTACH', 'PARENTDOCID',
    ],
    'Zipper\'s production columns, redaction, email and family groups',
  );
  // Every row names a native, text, image, redacted image and redacted text: five paths each.
  t.equal(report.pathsChecked, report.rows * 5, 'every path column of every row resolved');

  // Every file by its own validator.
  t.ok(under('NATIVES/', 'pdf').length > 0, 'PDF natives present');
  t.equal(await qpdfCheck(under('NATIVES/', 'pdf')), under('NATIVES/', 'pdf').length, 'qpdf --check on every PDF');
  t.equal(await djpegCheck(under('NATIVES/', 'jpg')), under('NATIVES/', 'jpg').length, 'djpeg on every JPEG');
  t.ok(under('NATIVES/', 'jpg').length > 0, 'JPEG natives present');
  const eml = await emlCheck(under('NATIVES/', 'eml'));
  t.ok(eml.attachments > 0, `python email on every EML (${eml.parts} parts, ${eml.attachments} attachments)`);
  const ooxml = [...under('NATIVES/', 'docx'), ...under('NATIVES/', 'xlsx')];
  t.ok(under('NATIVES/', 'docx').length > 0 && under('NATIVES/', 'xlsx').length > 0, 'DOCX and XLSX natives present');
  t.pass(`${await ooxmlCheck(ooxml)} on ${ooxml.length} files`);

  const nativeTiffs = under('NATIVES/', 'tiff');
  const pageImages = under('IMAGES/', 'tif');
  const redactedImages = under('REDACTED/IMAGES/', 'tif');
  t.ok(nativeTiffs.length > 0, 'TIFF natives present');
  const nativePages = await tiffinfoCheck(nativeTiffs);
  t.ok(nativePages.some((pages) => pages > 1), 'multipage TIFF natives');
  const imagePages = await tiffinfoCheck(pageImages);
  t.same([...new Set(imagePages)], [1], `tiffinfo: ${pageImages.length} page images, one G4 page each`);
  t.equal(pageImages.length, report.optLines, 'a page image per OPT line');
  const redactedPages = await tiffinfoCheck(redactedImages);
  t.equal(redactedImages.length, report.rows, 'a redacted image per row');
  const expected = redactedImages.map((file) => report.pages[file.slice(file.lastIndexOf('/') + 1, -'.tif'.length)]);
  t.same(redactedPages, expected, 'tiffinfo: each redacted image has as many G4 pages as the OPT gives its document');
  t.ok(redactedPages.some((pages) => pages > 1), 'multipage redacted images');
  await identifyCheck([...nativeTiffs, ...pageImages, ...redactedImages]);
  t.pass('identify -regard-warnings decodes every TIFF');

  const decoder = new TextDecoder('utf-8', { fatal: true });
  const texts = [...under('TEXT/', 'txt'), ...under('REDACTED/TEXT/', 'txt')];
  t.equal(texts.length, report.rows * 2, 'a text and a redacted text per row');
  const badTexts: string[] = [];
  for (const file of texts) {
    try {
      if (decoder.decode(await readFile(file)).trim() === '') badTexts.push(`${file}: empty`);
    } catch {
      badTexts.push(`${file}: not UTF-8`);
    }
  }
  t.same(badTexts, [], 'every text is non-empty UTF-8');

  // The sidecars parse and agree with what is on disk.
  const manifest = JSON.parse(await readFile(join(root, '_manifest.json'), 'utf8')) as Record<string, unknown>;
  t.equal(manifest.nativeFileCount, files.filter((file) => file.startsWith('NATIVES/')).length, 'manifest nativeFileCount = natives on disk');
  t.equal(manifest.redactedFileCount, report.rows);
  t.same(manifest.batesRange, { start: 'FID0000001', end: 'FID0000060', prefix: 'FID', digits: 7 });
  const validation = JSON.parse(await readFile(join(root, '_validation_report.json'), 'utf8')) as { status: string; checkedLoadFileRowCounts: { dat: number; opt: number } };
  t.equal(validation.status, 'passed');
  t.same(validation.checkedLoadFileRowCounts, { dat: report.rows + 1, opt: report.optLines }, 'the report counted what the importer read');
});

t.test('server logged no errors', async (t) => {
  t.same(server.errors(), [], 'no pino line at level error or fatal');
});
