/**
 * Transfer (issue 13): exact Content-Length (measured before sending for small archives,
 * remembered after a complete download or a HEAD for large ones), HEAD with GET's headers, byte
 * ranges (206, Content-Range, If-Range, 416, several ranges → 200) that start at the document
 * holding their first byte, cut downloads resumed byte for byte, parallel ranges assembled,
 * progress counting the bytes sent.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startServer, send, postArchive } from '../helpers/server.js';
import { readZip } from '../helpers/zip.js';
import { layoutFiles, spillsLeftBehind } from '../helpers/spills.js';
import { holdDownload } from '../helpers/downloads.js';
import { Rng } from '../../src/generator/random.js';

const server = await startServer({ ZIPPER_MAX_COUNT: '100000' });
t.teardown(() => server.close());

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const query = (fields: Record<string, unknown>) =>
  '/archives?' + Object.entries(fields).map(([key, value]) => `${key}=${encodeURIComponent(typeof value === 'object' ? JSON.stringify(value) : String(value))}`).join('&');

t.test('Content-Length is the bytes sent, for every kind of small archive; HEAD sends the same headers', async (t) => {
  const cases: Array<Record<string, unknown>> = [
    ...['pdf', 'jpg', 'tiff', 'eml', 'docx', 'xlsx'].map((fileType) => ({ count: 30, fileType, seed: 2 })),
    { count: 40, fileTypes: { pdf: 50, eml: 50 }, withFamilies: true, attachmentRate: 50, withText: true, loadFileFormats: ['dat', 'opt', 'csv', 'edrm-xml'], withAudit: true, seed: 3 },
    { count: 20, targetSize: '2MB', seed: 4 },
    { count: 20, compression: 'store', seed: 5 },
    { count: 20, compression: 'deflate', seed: 5 },
    { count: 20, format: 'tar', seed: 6 },
    { count: 20, format: 'tgz', seed: 6 },
    { count: 20, bates: { prefix: 'P' }, production: { volumeSize: 5 }, seed: 7 },
    { count: 50, chaos: { amount: '10%' }, loadFileFormats: ['dat', 'opt'], seed: 8 },
  ];
  for (const fields of cases) {
    const label = JSON.stringify(fields);
    const get = await send(server.origin, 'GET', query(fields));
    t.equal(get.status, 200, label);
    t.equal(get.headers['content-length'], String(get.body.length), `${label}: Content-Length = bytes received`);
    t.equal(get.headers['transfer-encoding'], undefined, `${label}: not chunked`);
    t.equal(get.headers['accept-ranges'], 'bytes');
    const head = await send(server.origin, 'HEAD', query(fields));
    const { 'x-archive-id': _id, date: _date, ...getHeaders } = get.headers;
    const { date: _headDate, ...headHeaders } = head.headers;
    t.same(headHeaders, getHeaders, `${label}: HEAD = GET's headers but X-Archive-Id`);
    const post = await postArchive(server.origin, fields);
    t.equal(post.headers['content-length'], String(post.body.length), `${label}: POST too`);
    t.ok(post.body.equals(get.body), `${label}: POST = GET bytes`);
  }
});

t.test('a large archive goes chunked until a complete download or a HEAD has told its length (70,000 entries, Zip64)', async (t) => {
  const fields = { count: 70_000, compression: 'store', seed: 70 };
  const first = await send(server.origin, 'GET', query(fields));
  t.equal(first.headers['transfer-encoding'], 'chunked', 'not measured before sending: chunked');
  t.equal(first.headers['content-length'], undefined);
  const entries = await readZip(first.body);
  t.equal(entries.length, 70_001, 'Zip64: every entry read back');
  const again = await send(server.origin, 'HEAD', query(fields));
  t.equal(again.headers['content-length'], String(first.body.length), 'HEAD knows the length');
  const second = await send(server.origin, 'GET', query(fields));
  t.equal(second.headers['content-length'], String(second.body.length), 'and GET sends it');
  t.ok(second.body.equals(first.body), 'the same bytes');
  const other = { ...fields, seed: 71 };
  const head = await send(server.origin, 'HEAD', query(other));
  const get = await send(server.origin, 'GET', query(other));
  t.equal(head.headers['content-length'], String(get.body.length), 'HEAD first: it measures, and its length is the bytes GET sends');
  t.equal(get.headers['content-length'], head.headers['content-length'], 'GET after it sends Content-Length');
});

t.test('ranges: 206 with exactly those bytes, suffixes, open ends, 416, several ranges → the whole', async (t) => {
  const path = query({ count: 1500, fileTypes: { pdf: 40, eml: 30, tiff: 30 }, withText: true, seed: 11 });
  const whole = (await send(server.origin, 'GET', path)).body;
  const ask = (range: string, headers: Record<string, string> = {}) => send(server.origin, 'GET', path, undefined, { range, ...headers });
  const middle = await ask('bytes=1000-4999');
  t.equal(middle.status, 206);
  t.equal(middle.headers['content-range'], `bytes 1000-4999/${whole.length}`);
  t.equal(middle.headers['content-length'], '4000');
  t.ok(middle.body.equals(whole.subarray(1000, 5000)), 'bytes 1000–4999');
  const suffix = await ask('bytes=-500');
  t.equal(suffix.headers['content-range'], `bytes ${whole.length - 500}-${whole.length - 1}/${whole.length}`);
  t.ok(suffix.body.equals(whole.subarray(whole.length - 500)), 'the last 500 bytes (the central directory and end records)');
  const open = await ask(`bytes=${whole.length - 10}-`);
  t.ok(open.body.equals(whole.subarray(whole.length - 10)), 'an open end');
  const past = await ask(`bytes=0-${whole.length + 1000}`);
  t.equal(past.status, 206);
  t.ok(past.body.equals(whole), 'an end past the archive is cut to it');
  const unsatisfiable = await ask(`bytes=${whole.length}-`);
  t.equal(unsatisfiable.status, 416);
  t.equal(unsatisfiable.headers['content-range'], `bytes */${whole.length}`);
  const several = await ask('bytes=0-10,20-30');
  t.equal(several.status, 200, 'several ranges: the whole archive');
  t.ok(several.body.equals(whole));
  const notBytes = await ask('items=0-10');
  t.equal(notBytes.status, 200, 'a unit we do not serve: ignored');
  const etag = middle.headers.etag as string;
  const fresh = await ask('bytes=100-199', { 'if-range': etag });
  t.equal(fresh.status, 206, 'If-Range with the ETag: the range');
  const stale = await ask('bytes=100-199', { 'if-range': '"an-older-archive"' });
  t.equal(stale.status, 200, 'If-Range with another ETag: the whole archive');
  t.ok(stale.body.equals(whole));
});

t.test('downloads cut at 20 seeded offsets and resumed with Range are byte for byte the uncut archive', async (t) => {
  const fields = { count: 3000, fileTypes: { pdf: 40, eml: 30, docx: 30 }, withFamilies: true, attachmentRate: 40, withText: true, loadFileFormats: ['dat', 'opt'], seed: 12 };
  const path = query(fields);
  const whole = (await send(server.origin, 'GET', path)).body;
  const rng = new Rng(12, 99, 0);
  for (let cut = 0; cut < 20; cut++) {
    const at = 1 + rng.below(whole.length - 1);
    const rest = await send(server.origin, 'GET', path, undefined, { range: `bytes=${at}-` });
    t.equal(rest.status, 206);
    const resumed = Buffer.concat([whole.subarray(0, at), rest.body]);
    t.equal(sha256(resumed), sha256(whole), `cut at ${at}: resumed = uncut`);
  }
});

t.test('4 ranges fetched at once assemble into the archive, and progress counts the bytes sent', async (t) => {
  const path = query({ count: 4000, fileTypes: { pdf: 60, jpg: 40 }, format: 'tar', seed: 13 });
  // As a segmented downloader does: HEAD for the length, then the parts.
  const head = await send(server.origin, 'HEAD', path);
  const length = Number(head.headers['content-length']);
  t.ok(length > 0, `HEAD measured the tar: ${length} bytes`);
  const quarter = Math.ceil(length / 4);
  const parts = await Promise.all(
    [0, 1, 2, 3].map((k) => send(server.origin, 'GET', path, undefined, { range: `bytes=${k * quarter}-${Math.min(length, (k + 1) * quarter) - 1}` })),
  );
  const assembled = Buffer.concat(parts.map((p) => p.body));
  const whole = (await send(server.origin, 'GET', path)).body;
  t.equal(assembled.length, length);
  t.ok(assembled.equals(whole), 'the four parts are the archive');
  const id = parts[1]!.headers['x-archive-id'] as string;
  const progress = JSON.parse((await send(server.origin, 'GET', `/archives/${id}/progress`)).body.toString('utf8')) as { bytesWritten: number; estimatedBytes: number; state: string };
  t.equal(progress.bytesWritten, parts[1]!.body.length, 'bytes sent, not the bytes made before the range');
  t.equal(progress.estimatedBytes, parts[1]!.body.length, 'the range is the download');
  t.equal(progress.state, 'completed');
});

t.test('a client that leaves while its archive is measured ends it: nothing keeps generating', async (t) => {
  const tracker = server.app.archiveTracker;
  const before = tracker.inFlight;
  const req = httpRequest(`${server.origin}${query({ count: 100_000, seed: 14 })}`, { headers: { range: 'bytes=1000-' } });
  req.on('error', () => undefined);
  req.end();
  // Measuring: the archive is in flight before any byte of answer.
  for (let tries = 0; tries < 200 && tracker.inFlight === before; tries++) await new Promise((resolve) => setTimeout(resolve, 10));
  t.equal(tracker.inFlight, before + 1, 'measuring');
  req.destroy();
  for (let tries = 0; tries < 500 && tracker.inFlight > before; tries++) await new Promise((resolve) => setTimeout(resolve, 10));
  t.equal(tracker.inFlight, before, 'ended when its client left');
  t.match((await send(server.origin, 'GET', '/metrics')).body.toString(), /zipper_archives_finished_total\{outcome="client_aborted"\} [1-9]/, 'counted as client_aborted');
});

/** Documents the server made while `work` ran (measuring included). */
async function documentsMade(work: () => Promise<unknown>): Promise<number> {
  const before = server.app.generatorStats.documentsGenerated;
  await work();
  return server.app.generatorStats.documentsGenerated - before;
}

t.test('a range starts at the document holding its first byte once the archive\'s layout is known (after a download or a HEAD)', async (t) => {
  for (const fields of [
    { count: 20_000, fileTypes: { pdf: 50, eml: 25, xlsx: 25 }, withFamilies: true, attachmentRate: 20, withText: true, loadFileFormats: ['dat', 'opt', 'csv', 'edrm-xml'], seed: 21 },
    { count: 20_000, fileType: 'pdf', format: 'tar', seed: 22 },
    { count: 10_000, fileType: 'jpg', targetSize: '200MB', compression: 'store', seed: 23 },
  ]) {
    const label = JSON.stringify(fields);
    const path = query(fields);
    const whole = (await send(server.origin, 'GET', path)).body;
    t.equal(server.app.archiveLayouts.length((await send(server.origin, 'HEAD', path)).headers.etag as string), whole.length, `${label}: layout recorded by the download`);
    for (const share of [0.9, 0.5, 0.999999]) {
      const at = Math.floor(whole.length * share);
      let part: Buffer = Buffer.alloc(0);
      const made = await documentsMade(async () => (part = (await send(server.origin, 'GET', path, undefined, { range: `bytes=${at}-` })).body));
      t.ok(part.equals(whole.subarray(at)), `${label}: from ${share * 100} %: the archive's bytes`);
      // From the batch before the byte (batches of at most 1,024 documents): never the documents before it.
      t.ok(made <= fields.count * (1 - share) + 1100, `${label}: from ${share * 100} %, ${made} of ${fields.count} documents made`);
    }
    const tail = await documentsMade(async () => send(server.origin, 'GET', path, undefined, { range: `bytes=-100` }));
    t.equal(tail, 0, `${label}: the last 100 bytes (central directory, end records) read from the layout, no document made`);
  }
  // HEAD first, as a segmented downloader asks: it measures and records; the parts then seek.
  const fields = { count: 20_000, fileType: 'eml', seed: 24 };
  const head = await send(server.origin, 'HEAD', query(fields));
  const length = Number(head.headers['content-length']);
  const made = await documentsMade(() => send(server.origin, 'GET', query(fields), undefined, { range: `bytes=${Math.floor(length * 0.75)}-${length - 1}` }));
  t.ok(made <= 5000 + 1100, `after HEAD, the last quarter: ${made} documents made`);
});

t.test('a download cut at 90 % resumes from where it was cut: the rest is made once (measured and kept), not the whole', async (t) => {
  // PDFs alone: the documents are most of the bytes (to about 93 %), so 90 % lies among them.
  const fields = { count: 30_000, fileType: 'pdf', seed: 25 };
  const path = query(fields);
  const reference = (await send(server.origin, 'GET', query({ ...fields, seed: 26 }))).body.length; // about the size
  const cutAt = Math.floor(reference * 0.9);
  const head = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const req = httpRequest(`${server.origin}${path}`, (res) => {
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        received += chunk.length;
        if (received >= cutAt) {
          req.destroy();
          resolve(Buffer.concat(chunks).subarray(0, cutAt));
        }
      });
      res.on('error', () => undefined);
    });
    req.on('error', (error) => (received >= cutAt ? undefined : reject(error)));
    req.end();
  });
  // The server notices the cut when its socket closes.
  for (let tries = 0; tries < 200 && server.app.archiveTracker.inFlight > 0; tries++) await new Promise((resolve) => setTimeout(resolve, 10));
  let rest: Buffer = Buffer.alloc(0);
  const made = await documentsMade(async () => {
    const res = await send(server.origin, 'GET', path, undefined, { range: `bytes=${head.length}-` });
    t.equal(res.status, 206);
    rest = res.body;
  });
  const whole = (await send(server.origin, 'GET', path)).body;
  t.equal(sha256(Buffer.concat([head, rest])), sha256(whole), 'resumed = uncut');
  t.ok(made > 0 && made < fields.count * 0.15, `the resume made ${made} of ${fields.count} documents: about the last 7 %, once`);
  // What its measurement made from the cut was kept: the same resume again is read back, no document made.
  const again = await documentsMade(async () => {
    const res = await send(server.origin, 'GET', path, undefined, { range: `bytes=${head.length}-` });
    t.ok(res.body.equals(rest), 'the same bytes');
  });
  t.equal(again, 0, `the second resume made no document (${again})`);
});

t.test('layout files are removed when the service closes', async (t) => {
  const tempDir = mkdtempSync(join(tmpdir(), 'zipper-layouts-'));
  t.teardown(() => rmSync(tempDir, { recursive: true, force: true }));
  const own = await startServer({ ZIPPER_TEMP_DIR: tempDir });
  await send(own.origin, 'GET', query({ count: 5000, seed: 27 }));
  t.equal(layoutFiles(tempDir).length, 1, 'a download left its layout (its tail)');
  t.same(spillsLeftBehind(tempDir), [], 'and no other file');
  await own.close();
  t.same(readdirSync(tempDir), [], 'closed: removed');
});

t.test('a HEAD that measures is an archive in flight: admitted under the concurrency limit; a known length needs no admission', async (t) => {
  const own = await startServer({ ZIPPER_MAX_CONCURRENT: '1' });
  t.teardown(() => own.close());
  const known = query({ count: 1500, seed: 28 });
  await send(own.origin, 'GET', known);
  const held = await holdDownload(own.origin, { count: 200_000, seed: 29 });
  const refused = await send(own.origin, 'HEAD', query({ count: 5000, seed: 30 }));
  t.equal(refused.status, 503, 'measuring would pass the limit: 503');
  const answered = await send(own.origin, 'HEAD', known);
  t.equal(answered.status, 200, 'a remembered length: answered at once');
  t.ok(Number(answered.headers['content-length']) > 0);
  held.abort();
  for (let tries = 0; tries < 300 && own.app.archiveTracker.inFlight > 0; tries++) await new Promise((resolve) => setTimeout(resolve, 10));
  const measured = await send(own.origin, 'HEAD', query({ count: 5000, seed: 30 }));
  t.equal(measured.status, 200, 'below the limit again: measured');
  t.ok(Number(measured.headers['content-length']) > 0);
});

t.test('parallel ranges of an archive not yet measured share one measurement (a download accelerator on a fresh replica)', async (t) => {
  const fields = { count: 20_000, fileType: 'pdf', seed: 31 };
  const path = query(fields);
  // The client knows the length (from another replica, say); this server does not.
  const length = (await send(server.origin, 'GET', query({ ...fields, seed: 32 }))).body.length;
  const quarter = Math.ceil(length / 4);
  let parts: Array<{ status: number; body: Buffer }> = [];
  const made = await documentsMade(async () => {
    parts = await Promise.all([0, 1, 2, 3].map((k) => send(server.origin, 'GET', path, undefined, { range: `bytes=${k * quarter}-${(k + 1) * quarter - 1}` })));
  });
  t.same(parts.map((part) => part.status), [206, 206, 206, 206]);
  const whole = (await send(server.origin, 'GET', path)).body;
  t.ok(Buffer.concat(parts.map((part) => part.body)).equals(whole.subarray(0, Math.min(whole.length, 4 * quarter))), 'the parts are the archive');
  // One measurement (20,000) and the four parts (20,000 together, plus a batch each at most): not four measurements.
  t.ok(made <= 2 * fields.count + 4 * 1100, `${made} documents made for 4 ranges of ${fields.count}`);
});
