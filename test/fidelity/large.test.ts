/**
 * Fidelity at scale, from our ZIP module: a 1,000,000-entry archive read back completely (every
 * entry's CRC) by 7zz and Python zipfile; and an archive past 4 GiB whose Zip64 records 7zz accepts.
 */
import t from 'tap';
import { join } from 'node:path';
import { stat } from 'node:fs/promises';
import { tempDir } from './lib/files.js';
import { curlPost, startServer } from './lib/server.js';
import { pythonZipTest, sevenZipTest } from './lib/zip-readers.js';

const server = await startServer(t, { ZIPPER_MAX_COUNT: '1000000' });

t.test('1,000,000 entries: every one present, every CRC checked', async (t) => {
  const dir = await tempDir(t);
  const count = 999_999; // + the load file = 1,000,000 entries
  const dl = await curlPost(`${server.url}/archives`, { count, fileType: 'pdf', folders: 100, seed: 1_000_000 }, join(dir, 'million.zip'));
  t.equal(dl.status, 200);
  t.comment(`${dl.bytes} bytes in ${dl.seconds.toFixed(2)} s (${Math.round(count / dl.seconds)} documents/s over HTTP)`);
  const seven = await sevenZipTest(dl.file);
  t.equal(seven.files, 1_000_000, '7zz tested 1,000,000 entries');
  const python = await pythonZipTest(dl.file);
  t.equal(python.entries.length, 1_000_000, 'Python zipfile read 1,000,000 entries, testzip() clean');
  t.equal(python.eocd.zip64Entries, 1_000_000, 'Zip64 end record holds the real count');
});

t.test('past 4 GiB: Zip64 offsets and end records that 7zz accepts', async (t) => {
  const dir = await tempDir(t);
  const dl = await curlPost(`${server.url}/archives`, { count: 40, fileType: 'jpg', targetSize: '4.3GiB', seed: 4 }, join(dir, 'big.zip'));
  t.equal(dl.status, 200);
  const size = (await stat(dl.file)).size;
  t.ok(size > 2 ** 32, `${size} bytes: past 4 GiB`);
  t.comment(`${(size / 2 ** 30).toFixed(2)} GiB in ${dl.seconds.toFixed(2)} s (${Math.round(size / 1e6 / dl.seconds)} MB/s over HTTP)`);
  const seven = await sevenZipTest(dl.file);
  t.equal(seven.files, 41, '7zz tested every entry, CRCs included');
  t.notOk(seven.warnings, 'no warnings');
  const python = await pythonZipTest(dl.file);
  t.ok(python.eocd.zip64, 'Zip64 end records');
  t.equal(python.entries.length, 41);
});
