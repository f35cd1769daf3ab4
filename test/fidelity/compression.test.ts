/**
 * Fidelity: compression "store" and "deflate" for PDFs — every document and text uses the requested
 * method (the load file is always deflated: README "Archive layout"),
 * stored entries carry their sizes in the local header (no data descriptor: Java's
 * ZipInputStream rejects stored entries with one), all five readers and qpdf pass, and the same
 * request with the same seed is byte-identical.
 */
import t from 'tap';
import { join } from 'node:path';
import { checkDocuments } from './lib/document-validators.js';
import { extract, listFiles, sha256File, tempDir } from './lib/files.js';
import { layoutProblems } from './lib/layout.js';
import { curlPost, startServer } from './lib/server.js';
import { checkZipAllReaders } from './lib/zip-readers.js';

const COUNT = 200;
const FOLDERS = 5;
const METHOD = { store: 0, deflate: 8 } as const;

const server = await startServer(t);

for (const compression of ['store', 'deflate'] as const) {
  t.test(`pdf, compression ${compression}`, async (t) => {
    const dir = await tempDir(t);
    const name = `compression_${compression}`;
    const request = {
      count: COUNT,
      fileType: 'pdf',
      folders: FOLDERS,
      distribution: 'gaussian',
      withMetadata: true,
      withText: true,
      includeLoadFile: true,
      compression,
      seed: 99,
      name,
    };
    const dl = await curlPost(`${server.url}/archives`, request, join(dir, `${name}.zip`));
    t.equal(dl.status, 200, 'HTTP 200');
    t.comment(`${dl.bytes} bytes`);
    const zip = await checkZipAllReaders(dl.file);
    t.pass(`all five ZIP readers read ${zip.python.entries.length} entries`);
    t.same(
      layoutProblems(zip.python.entries, { count: COUNT, fileType: 'pdf', folders: FOLDERS, distribution: 'gaussian', withText: true, includeLoadFile: true, name }),
      [],
      'layout',
    );
    const files = zip.python.entries.filter((e) => !e.name.endsWith('/'));
    // README ("Archive layout"): the load file is streamed and always deflated, even under store
    const loadFile = `${name}.dat`;
    const wrongMethod = files
      .filter((e) => !(compression === 'store' && e.name === loadFile))
      .filter((e) => e.method !== METHOD[compression])
      .map((e) => `${e.name}: method ${e.method}`);
    t.same(wrongMethod.slice(0, 10), [], `every document and text is ${compression === 'store' ? 'stored (0)' : 'deflated (8)'} (${wrongMethod.length} are not)`);
    if (compression === 'store') {
      const stored = files.filter((e) => e.method === 0);
      const descriptors = stored.filter((e) => (e.flags & 0x08) !== 0).map((e) => e.name);
      t.same(descriptors.slice(0, 10), [], `stored entries have no data descriptor (${descriptors.length} have one)`);
      const sizeMismatch = stored.filter((e) => e.csize !== e.size).map((e) => e.name);
      t.same(sizeMismatch.slice(0, 10), [], 'stored: compressed size equals size');
    }
    const out = join(dir, 'x');
    await extract(dl.file, out);
    const pdfs = (await listFiles(out)).filter((f) => f.endsWith('.pdf')).map((f) => join(out, f));
    const summary = await checkDocuments('pdf', pdfs);
    t.pass(`${summary.checked}/${summary.total} pdf pass ${summary.detail}`);

    const again = await curlPost(`${server.url}/archives`, request, join(dir, `${name}.again.zip`));
    t.equal(await sha256File(again.file), await sha256File(dl.file), 'same request + same seed ⇒ byte-identical archive');
  });
}

t.test('server logged no errors', async (t) => {
  t.same(server.errors(), [], 'no pino line at level error or fatal');
});
