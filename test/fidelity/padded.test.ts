/**
 * Fidelity: targetSize "20MB". The archive must land within ±10 % of the target (SPEC; the aim is
 * ±1 %, logged) and the padded documents must still pass their validators — padding goes where
 * the format allows it, so qpdf/djpeg/tiffinfo/identify/email must not notice it.
 * "MB" is SI, 10^6 bytes, as the service defines it (README: "KB/MB/GB/TB are powers of 1000,
 * KiB/MiB/GiB/TiB powers of 1024").
 */
import t from 'tap';
import { join } from 'node:path';
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
const TARGET = '20MB';
const TARGET_BYTES = 20_000_000;

const server = await startServer(t);

for (const fileType of FILE_TYPES) {
  t.test(`${fileType}: ${COUNT} documents padded to targetSize ${TARGET}`, async (t) => {
    const dir = await tempDir(t);
    const name = `padded_${fileType}`;
    const request = everyOptionRequest(fileType, { count: COUNT, folders: FOLDERS, seed: 777, name, targetSize: TARGET });
    const dl = await curlPost(`${server.url}/archives`, request, join(dir, `${name}.zip`));
    t.equal(dl.status, 200, 'HTTP 200');
    const deviation = (dl.bytes - TARGET_BYTES) / TARGET_BYTES;
    const pct = `${deviation >= 0 ? '+' : ''}${(deviation * 100).toFixed(3)} %`;
    t.comment(`targetSize ${TARGET} (${TARGET_BYTES} bytes): archive is ${dl.bytes} bytes, deviation ${pct} (${dl.seconds.toFixed(2)} s)`);
    if (Math.abs(deviation) > 0.01) t.comment(`note: outside the ±1 % the SPEC aims for`);
    t.ok(Math.abs(deviation) <= 0.1, `archive within ±10 % of ${TARGET_BYTES} bytes (${pct})`);

    const zip = await checkZipAllReaders(dl.file);
    t.pass(`all five ZIP readers read ${zip.python.entries.length} entries`);
    t.same(
      layoutProblems(zip.python.entries, request),
      [],
      'layout unchanged by padding (no padding entries)',
    );
    const docEntries = zip.python.entries.filter((e) => e.name.endsWith(`.${EXTENSIONS[fileType]}`));
    const docBytes = docEntries.reduce((a, e) => a + e.size, 0);
    t.comment(`documents average ${Math.round(docBytes / docEntries.length)} bytes; methods: ${summariseMethods(zip.python.entries)}`);
    t.ok(docBytes >= TARGET_BYTES * 0.5, `the documents carry the padding (${docBytes} bytes of documents)`);

    const out = join(dir, 'x');
    await extract(dl.file, out);
    const files = await listFiles(out);
    const docs = files.filter((f) => f.endsWith(`.${EXTENSIONS[fileType]}`)).map((f) => join(out, f));
    const summary = await checkDocuments(fileType, docs);
    t.pass(`${summary.checked}/${summary.total} padded ${fileType} documents pass ${summary.detail}`);

    const dat = await readDat(join(out, `${name}.dat`), 'UTF-8');
    t.same(datProblems(dat, zip.python.entries, request), [], 'DAT File Size is the padded size');
  });
}

t.test('server logged no errors', async (t) => {
  t.same(server.errors(), [], 'no pino line at level error or fatal');
});

function summariseMethods(entries: readonly { method: number }[]): string {
  const counts = new Map<number, number>();
  for (const e of entries) counts.set(e.method, (counts.get(e.method) ?? 0) + 1);
  return [...counts].map(([m, n]) => `${m === 0 ? 'stored' : m === 8 ? 'deflated' : `method ${m}`} ${n}`).join(', ');
}
