/**
 * Fidelity: for every document type, a 200-document archive from the real server is read by five
 * independent ZIP readers and every document is checked by its own Debian validator.
 */
import t from 'tap';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { folderCounts } from '../../src/generator/distribution.js';
import { EXTENSIONS } from '../../src/generator/plan.js';
import { FILE_TYPES } from '../../src/generator/types.js';
import { checkDocuments } from './lib/document-validators.js';
import { extract, listFiles, tempDir } from './lib/files.js';
import { datProblems, layoutProblems, readDat } from './lib/layout.js';
import { everyOptionRequest } from './lib/requests.js';
import { curlPost, startServer } from './lib/server.js';
import { checkZipAllReaders } from './lib/zip-readers.js';

const COUNT = 200;
const FOLDERS = 5;

t.test('the folder formula the layout check uses reproduces the SPEC example', async (t) => {
  t.same(folderCounts('gaussian', 500, 7), [22, 76, 152, 152, 76, 19, 3]);
});

const server = await startServer(t);

for (const fileType of FILE_TYPES) {
  t.test(`${fileType}: ${COUNT} documents, ${FOLDERS} folders, gaussian, metadata + text`, async (t) => {
    const dir = await tempDir(t);
    const name = `fidelity_${fileType}`;
    const request = everyOptionRequest(fileType, { count: COUNT, folders: FOLDERS, seed: 4242, name });
    const dl = await curlPost(`${server.url}/archives`, request, join(dir, `${name}.zip`));
    t.equal(dl.status, 200, 'HTTP 200');
    t.match(dl.headers['content-type'] ?? '', /^application\/zip/, 'Content-Type application/zip');
    t.comment(`${dl.bytes} bytes in ${dl.seconds.toFixed(2)} s`);

    const zip = await checkZipAllReaders(dl.file);
    t.pass(`unzip -tqq, 7zz t, bsdtar stream, python zipfile, java ZipInputStream all read ${zip.python.entries.length} entries`);
    t.same(
      layoutProblems(zip.python.entries, request),
      [],
      'entry names follow folder_FFF/IIIIIIII.ext, gaussian folders, .txt beside each, load file at the root',
    );

    const out = join(dir, 'x');
    await extract(dl.file, out);
    const files = await listFiles(out);
    const docs = files.filter((f) => f.endsWith(`.${EXTENSIONS[fileType]}`)).map((f) => join(out, f));
    const summary = await checkDocuments(fileType, docs);
    t.equal(summary.checked, COUNT, `every ${fileType} checked`);
    t.pass(`${summary.checked}/${summary.total} ${fileType} documents pass ${summary.detail}`);

    if (fileType === 'eml') {
      // binomial(200, 0.3): mean 60, sd 6.5 — 30…90 only fails when the rate is ignored
      const withAttachment = await countAttachments(docs);
      t.ok(withAttachment >= 30 && withAttachment <= 90, `attachmentRate 30 → ${withAttachment} of ${COUNT} emails carry an attachment`);
    }

    const decoder = new TextDecoder('utf-8', { fatal: true });
    const badTexts: string[] = [];
    for (const f of files.filter((f) => f.endsWith('.txt'))) {
      const bytes = await readFile(join(out, f));
      try {
        if (decoder.decode(bytes).trim() === '') badTexts.push(`${f}: empty`);
      } catch {
        badTexts.push(`${f}: not UTF-8`);
      }
    }
    t.same(badTexts, [], 'every extracted-text file is non-empty UTF-8');

    const dat = await readDat(join(out, `${name}.dat`), 'UTF-8');
    t.same(datProblems(dat, zip.python.entries, request), [], 'DAT: SPEC columns, one row per document, real File Size');
  });
}

t.test('server logged no errors', async (t) => {
  t.same(server.errors(), [], 'no pino line at level error or fatal');
});

async function countAttachments(files: readonly string[]): Promise<number> {
  let n = 0;
  for (const f of files) {
    const text = await readFile(f, 'latin1');
    if (/^Content-Disposition:\s*attachment/im.test(text)) n++;
  }
  return n;
}
