import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import t from 'tap';
import { startServer, postArchive, send } from '../helpers/server.js';
import { readZip } from '../helpers/zip.js';
import { parseDat } from '../helpers/dat.js';
import { downloadOutcome, leaveAfter } from '../helpers/downloads.js';
import { createArchiveStream } from '../../src/generator/archive.js';
import { ArchivePlan } from '../../src/generator/plan.js';
import { archiveEntries, type ArchiveEntry } from '../../src/generator/entries.js';
import { archiveRequestSchema } from '../../src/schemas/archive-request.js';
import { defaultConfig } from '../../src/config.js';

const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));

const server = await startServer();
t.teardown(() => server.close());

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

t.test('same request and seed ⇒ identical bytes; other seed ⇒ other metadata', async (t) => {
  const fields = { count: 200, fileType: 'eml', attachmentRate: 30, withMetadata: true, withText: true, folders: 3, seed: 1234 };
  const [a, b, c] = await Promise.all([
    postArchive(server.origin, fields),
    postArchive(server.origin, fields),
    postArchive(server.origin, { ...fields, seed: 1235 }),
  ]);
  t.equal(sha256(a.body), sha256(b.body), 'byte-identical');
  t.not(sha256(a.body), sha256(c.body));
  const authors = async (body: Buffer) =>
    parseDat((await readZip(body)).find((e) => e.name === 'archive.dat')!.data, 'UTF-8').rows.map((row) => row[4]);
  t.not((await authors(a.body)).join(), (await authors(c.body)).join(), 'other seed, other authors');

  const query = new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)]));
  const viaGet = await send(server.origin, 'GET', `/archives?${query}`);
  t.equal(viaGet.status, 200);
  t.equal(sha256(viaGet.body), sha256(a.body), 'GET with the same fields gives the same archive');
});

t.test('a server-chosen seed is returned and reproduces the archive', async (t) => {
  const first = await postArchive(server.origin, { count: 50 });
  const seed = Number(first.headers['x-zipper-seed']);
  t.ok(Number.isSafeInteger(seed));
  const again = await postArchive(server.origin, { count: 50, seed });
  t.equal(sha256(again.body), sha256(first.body));
});

t.test('strong ETag over request, seed and generator; 304 on If-None-Match', async (t) => {
  const fields = { count: 30, seed: 99, withMetadata: true };
  const first = await postArchive(server.origin, fields);
  const etag = first.headers.etag!;
  t.match(etag, /^"[A-Za-z0-9_-]{43}"$/, 'strong validator');
  const withDefaults = await postArchive(server.origin, { ...fields, folders: 1, fileType: 'pdf' });
  t.equal(withDefaults.headers.etag, etag, 'defaults spelled out: same normalised request');
  const other = await postArchive(server.origin, { ...fields, seed: 100 });
  t.not(other.headers.etag, etag);
  const cached = await postArchive(server.origin, fields, { 'if-none-match': etag });
  t.equal(cached.status, 304);
  t.equal(cached.body.length, 0);
  const stale = await postArchive(server.origin, fields, { 'if-none-match': '"something-else"' });
  t.equal(stale.status, 200);

  const before = server.app.generatorStats.documentsGenerated;
  const head = await send(server.origin, 'HEAD', '/archives?count=30&seed=99&withMetadata=true');
  t.equal(head.status, 200);
  t.equal(head.headers.etag, etag, 'HEAD: same ETag as POST with the same fields');
  t.equal(head.body.length, 0);
  t.equal(server.app.generatorStats.documentsGenerated, before, 'HEAD of an archive whose length is known (the POST measured it) generates nothing');
});

t.test('a client that disconnects stops generation', async (t) => {
  const stats = server.app.generatorStats;
  const before = stats.documentsGenerated;
  await leaveAfter(server.origin, '/archives', { count: 1_000_000, seed: 5 }, 256 * 1024);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const afterClose = stats.documentsGenerated;
  await new Promise((resolve) => setTimeout(resolve, 700));
  t.equal(stats.documentsGenerated, afterClose, 'the document counter stops growing');
  t.ok(afterClose - before < 100_000, `only ${afterClose - before} of 1,000,000 documents were generated`);
});

t.test('a slow reader slows generation (backpressure)', async (t) => {
  const stats = server.app.generatorStats;
  const before = stats.documentsGenerated;
  await new Promise<void>((resolve, reject) => {
    const req = httpRequest(`${server.origin}/archives`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      res.pause();
      setTimeout(() => {
        const generated = stats.documentsGenerated - before;
        t.ok(generated < 20_000, `while the reader waits, only ${generated} of 1,000,000 documents are generated`);
        req.destroy();
        resolve();
      }, 1000);
    });
    req.on('error', (error) => (error.message.includes('socket hang up') ? undefined : reject(error)));
    req.end(JSON.stringify({ count: 1_000_000, seed: 6 }));
  });
});

t.test('an error after the status line breaks the transfer', async (t) => {
  const plan = new ArchivePlan({ ...archiveRequestSchema(defaultConfig.limits, 'json').parse({ count: 5000 }), seed: 1 });
  // Fails well after the first megabytes have been sent.
  function* failing(): Generator<ArchiveEntry> {
    let n = 0;
    for (const entry of archiveEntries(plan)) {
      if (++n === 4000) throw new Error('generator failed mid-archive');
      yield entry;
    }
  }
  const outcome = await downloadOutcome(t, 'application/zip', () => createArchiveStream(plan, { entries: failing() }));
  t.equal(outcome, 'broken', 'the client sees a broken transfer, not a complete archive');
});

t.test('70,000 documents: Zip64 records, read back completely', async (t) => {
  const res = await postArchive(server.origin, { count: 70_000, folders: 100, distribution: 'gaussian', compression: 'store', seed: 70 });
  t.equal(res.status, 200);
  const body = res.body;
  const eocd = body.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  t.equal(body.readUInt16LE(eocd + 10), 0xffff, 'classic end record defers to Zip64');
  t.ok(body.lastIndexOf(Buffer.from([0x50, 0x4b, 0x06, 0x06])) > 0, 'Zip64 end record present');
  const entries = await readZip(body);
  t.equal(entries.length, 70_001);
  t.equal(entries.filter((entry) => entry.name.endsWith('.pdf')).length, 70_000);
  t.ok(entries.every((entry) => entry.data.length === entry.uncompressedSize));
});

t.test('no unhandled rejection in the whole run', async (t) => {
  await new Promise((resolve) => setTimeout(resolve, 100));
  t.same(unhandled, []);
});
