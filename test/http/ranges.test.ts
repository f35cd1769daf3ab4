/**
 * Transfer (issue 13): exact Content-Length (measured before sending for small archives,
 * remembered after a complete download for large ones), HEAD with GET's headers, byte ranges
 * (206, Content-Range, If-Range, 416, several ranges → 200), cut downloads resumed byte for byte,
 * parallel ranges assembled, progress counting the bytes sent.
 */
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import t from 'tap';
import { startServer, send, postArchive } from '../helpers/server.js';
import { readZip } from '../helpers/zip.js';
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

t.test('a large archive goes chunked until a complete download has told its length (70,000 entries, Zip64)', async (t) => {
  const fields = { count: 70_000, compression: 'store', seed: 70 };
  const head = await send(server.origin, 'HEAD', query(fields));
  t.equal(head.headers['transfer-encoding'], 'chunked', 'not measured before sending: chunked');
  t.equal(head.headers['content-length'], undefined);
  const first = await send(server.origin, 'GET', query(fields));
  t.equal(first.headers['transfer-encoding'], 'chunked');
  const entries = await readZip(first.body);
  t.equal(entries.length, 70_001, 'Zip64: every entry read back');
  const again = await send(server.origin, 'HEAD', query(fields));
  t.equal(again.headers['content-length'], String(first.body.length), 'HEAD now knows the length');
  const second = await send(server.origin, 'GET', query(fields));
  t.equal(second.headers['content-length'], String(second.body.length), 'and GET sends it');
  t.ok(second.body.equals(first.body), 'the same bytes');
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
  const head = await send(server.origin, 'HEAD', path);
  t.equal(head.headers['content-length'], undefined, '4,000 documents: not measured by HEAD');
  const part = await send(server.origin, 'GET', path, undefined, { range: 'bytes=0-0' });
  const length = Number(/\/(\d+)$/.exec(part.headers['content-range'] as string)![1]);
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
