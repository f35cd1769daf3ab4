/**
 * format tar and tgz over HTTP: the same entries, names and bytes as the ZIP of the same request
 * (read back with node-tar and yauzl), fixed headers, byte-identical downloads, the requests refused,
 * a transfer broken by an error, and a client that leaves (generation stops, no temporary file stays).
 */
import { mkdtempSync, readdirSync, rmSync, watch } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { startServer, postArchive, send } from '../helpers/server.js';
import { downloadOutcome, leaveAfter } from '../helpers/downloads.js';
import { readZip } from '../helpers/zip.js';
import { endsComplete, readTar, tarBytes } from '../helpers/tar.js';
import { createArchiveStream } from '../../src/generator/archive.js';
import { archiveEntries, type ArchiveEntry } from '../../src/generator/entries.js';
import { resolveRequest } from '../../src/generator/resolve.js';
import { archiveRequestSchema } from '../../src/schemas/archive-request.js';
import { defaultConfig } from '../../src/config.js';

const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));

const tempDir = mkdtempSync(join(tmpdir(), 'zipper-tar-test-'));
const server = await startServer({ ZIPPER_TEMP_DIR: tempDir });
t.teardown(async () => {
  await server.close();
  rmSync(tempDir, { recursive: true, force: true });
});

const ENTRY_SECONDS = Date.UTC(2020, 0, 1) / 1000;

/** Downloads the request as zip, tar and tgz and checks the tar and tgz hold the zip's entries, in order, byte for byte. */
async function sameAsZip(t: Test, fields: Record<string, unknown>): Promise<void> {
  const [zip, tar, tgz] = await Promise.all(['zip', 'tar', 'tgz'].map((format) => postArchive(server.origin, { ...fields, format })));
  t.equal(zip!.status, 200, 'zip');
  t.equal(tar!.status, 200, 'tar');
  t.equal(tgz!.status, 200, 'tgz');
  const zipped = await readZip(zip!.body);
  for (const [format, response] of [['tar', tar!], ['tgz', tgz!]] as const) {
    const entries = await readTar(response.body);
    t.strictSame(
      entries.map((entry) => entry.name),
      zipped.map((entry) => entry.name),
      `${format}: the zip's names, in its order`,
    );
    const differing = entries.filter((entry, k) => !entry.data.equals(zipped[k]?.data ?? Buffer.alloc(0))).map((entry) => entry.name);
    t.strictSame(differing, [], `${format}: every entry's bytes are the zip's (${entries.length} entries)`);
    const odd = entries.filter(
      (entry) => entry.type !== 'File' || entry.mode !== 0o644 || entry.uid !== 0 || entry.gid !== 0 || entry.uname || entry.gname || entry.mtime?.getTime() !== ENTRY_SECONDS * 1000,
    );
    t.strictSame(odd.map((entry) => entry.name), [], `${format}: regular files, mode 0644, owner 0:0 without names, dated 2020-01-01`);
    t.ok(endsComplete(tarBytes(response.body)), `${format}: ends with its two zero blocks`);
    t.equal(tarBytes(response.body).length % 10240, 0, `${format}: whole 10 KiB records`);
  }
}

t.test('headers: Content-Type, filename, ETag per format; HEAD', async (t) => {
  const fields = { count: 5, seed: 3, name: 'batch7' };
  const zip = await postArchive(server.origin, fields);
  const tar = await postArchive(server.origin, { ...fields, format: 'tar' });
  const tgz = await postArchive(server.origin, { ...fields, format: 'tgz' });
  t.equal(tar.headers['content-type'], 'application/x-tar');
  t.equal(tar.headers['content-disposition'], 'attachment; filename="batch7.tar"');
  t.equal(tgz.headers['content-type'], 'application/gzip');
  t.equal(tgz.headers['content-disposition'], 'attachment; filename="batch7.tgz"');
  t.not(tar.headers.etag, zip.headers.etag, 'each format its own ETag');
  t.not(tgz.headers.etag, tar.headers.etag);
  const head = await send(server.origin, 'HEAD', '/archives?count=5&seed=3&name=batch7&format=tgz');
  t.equal(head.headers['content-type'], 'application/gzip');
  t.equal(head.headers.etag, tgz.headers.etag, 'HEAD gives the ETag of the download');
  const summary = await send(server.origin, 'POST', '/archives/plan', { ...fields, format: 'tgz' });
  t.equal(summary.status, 200);
  t.equal(JSON.parse(summary.body.toString()).archiveName, 'batch7.tgz', 'the plan names the tgz');
});

t.test('mixed types with families, texts and actual hashes: the zip\'s entries', (t) =>
  sameAsZip(t, {
    count: 120,
    seed: 11,
    fileTypes: { pdf: 30, eml: 30, tiff: 15, docx: 10, xlsx: 10, jpg: 5 },
    withFamilies: true,
    attachmentRate: 50,
    tiffPages: { min: 1, max: 3 },
    withText: true,
    withMetadata: true,
    folders: 4,
    hashMode: 'actual',
    hashAlgorithms: ['md5', 'sha256'],
  }),
);

t.test('padded for targetSize: the zip\'s padded bytes', (t) => sameAsZip(t, { count: 40, seed: 12, fileTypes: { pdf: 1, jpg: 1 }, targetSize: '4MB' }));

t.test('several load files with audit files: the zip\'s', (t) =>
  sameAsZip(t, { count: 300, seed: 13, fileType: 'pdf', withText: true, loadFileFormats: ['dat', 'opt', 'csv', 'edrm-xml', 'concordance'], withAudit: true, encoding: 'UTF-16' }),
);

t.test('chaos with duplicate entry names: the same duplicates in the tar', async (t) => {
  await sameAsZip(t, { count: 200, seed: 14, chaos: { types: ['zip-duplicate-name', 'doc-extra', 'doc-missing', 'quotes'], amount: 5 } });
  const tar = await readTar((await postArchive(server.origin, { count: 200, seed: 14, format: 'tar', chaos: { types: ['zip-duplicate-name'], amount: 5 } })).body);
  const names = tar.map((entry) => entry.name);
  t.ok(names.length > new Set(names).size, 'some names appear twice');
});

t.test('a small production: the zip\'s entries', (t) =>
  sameAsZip(t, {
    count: 30,
    seed: 15,
    fileTypes: { pdf: 40, eml: 30, tiff: 30 },
    withFamilies: true,
    attachmentRate: 50,
    withText: true,
    bates: { prefix: 'ABC', start: 1, digits: 8 },
    production: { volumeSize: 10, rolling: { count: 2, batesMode: 'continuous' } },
  }),
);

t.test('same request and seed ⇒ byte-identical tar and tgz; a fixed gzip header', async (t) => {
  const fields = { count: 300, fileType: 'eml', attachmentRate: 30, withText: true, withAudit: true, seed: 21 };
  for (const format of ['tar', 'tgz']) {
    const [a, b] = await Promise.all([postArchive(server.origin, { ...fields, format }), postArchive(server.origin, { ...fields, format })]);
    t.ok(a.body.length > 0 && a.body.equals(b.body), `${format}: two downloads are the same bytes`);
    if (format === 'tgz') {
      t.strictSame([...a.body.subarray(0, 4)], [0x1f, 0x8b, 8, 0], 'gzip, deflate, no flags (no name, no comment)');
      t.equal(a.body.readUInt32LE(4), 0, 'MTIME 0');
      t.equal(a.body[9], 3, 'OS 3 (Unix) whatever machine made it');
    }
  }
});

t.test('fields a tar refuses or takes', async (t) => {
  for (const compression of ['deflate', 'store']) {
    const refused = await postArchive(server.origin, { count: 5, format: 'tar', compression });
    t.equal(refused.status, 400, `compression ${compression} with tar`);
    t.strictSame(
      JSON.parse(refused.body.toString()).errors.map((error: { field: string }) => error.field),
      ['compression'],
      'the problem names compression',
    );
  }
  const query = await send(server.origin, 'GET', '/archives?count=5&format=tgz&compression=deflate');
  t.equal(query.status, 400, 'the same from a query string');
  t.equal((await postArchive(server.origin, { count: 5, format: 'tgz', compression: 'auto' })).status, 200, 'compression auto (the default) spelled out');
  t.equal((await postArchive(server.origin, { count: 5, format: 'rar' })).status, 400, 'an unknown format');
});

t.test('an error after the status line breaks the tar transfer', async (t) => {
  const resolution = resolveRequest(archiveRequestSchema(defaultConfig.limits, 'json').parse({ count: 5000, seed: 1, format: 'tar' }));
  if (!resolution.ok) throw new Error('unresolved');
  const { plan } = resolution;
  function* failing(): Generator<ArchiveEntry> {
    let n = 0;
    for (const entry of archiveEntries(plan)) {
      if (++n === 4000) throw new Error('generator failed mid-archive');
      yield entry;
    }
  }
  const outcome = await downloadOutcome(t, 'application/x-tar', () => createArchiveStream(plan, { entries: failing(), tempDir }));
  t.equal(outcome, 'broken', 'the client sees a broken transfer, not a complete tar');
});

t.test('a streamed entry past its memory bound goes through a temporary file, removed once written', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'zipper-tar-spill-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const fields = archiveRequestSchema(defaultConfig.limits, 'json').parse({ count: 3000, seed: 31, withText: true, withAudit: true, format: 'tar' });
  const resolution = resolveRequest(fields);
  if (!resolution.ok) throw new Error('unresolved');
  const created: string[] = [];
  const watcher = watch(dir, (_event, name) => name && created.push(name));
  const chunks: Buffer[] = [];
  for await (const chunk of createArchiveStream(resolution.plan, { tempDir: dir, spillThreshold: 1024 })) chunks.push(chunk as Buffer);
  watcher.close();
  t.ok(created.some((name) => name.startsWith('zipper-cd-')), 'the load file spilled');
  t.strictSame(readdirSync(dir), [], 'and its file is gone');
  const zipResolution = resolveRequest({ ...fields, format: 'zip' });
  if (!zipResolution.ok) throw new Error('unresolved');
  const zipChunks: Buffer[] = [];
  for await (const chunk of createArchiveStream(zipResolution.plan, { tempDir: dir })) zipChunks.push(chunk as Buffer);
  const tar = await readTar(Buffer.concat(chunks));
  const zip = await readZip(Buffer.concat(zipChunks));
  t.strictSame(tar.map((entry) => entry.name), zip.map((entry) => entry.name));
  t.ok(tar.every((entry, k) => entry.data.equals(zip[k]!.data)), 'every entry the zip\'s, the spilled load file too');
});

t.test('a client that leaves mid-tar stops generation', async (t) => {
  const stats = server.app.generatorStats;
  const before = stats.documentsGenerated;
  await leaveAfter(server.origin, '/archives', { count: 1_000_000, seed: 5, format: 'tgz' }, 256 * 1024);
  // Wait for the counter to settle, then check it stays.
  let settled = stats.documentsGenerated;
  for (let k = 0; k < 100; k++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (stats.documentsGenerated === settled) break;
    settled = stats.documentsGenerated;
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  t.equal(stats.documentsGenerated, settled, 'the document counter stops growing');
  t.ok(settled - before < 100_000, `only ${settled - before} of 1,000,000 documents were generated`);
});

t.test('a client that leaves while a load file is spilled leaves no temporary file', async (t) => {
  t.strictSame(readdirSync(tempDir), [], 'nothing spilled before');
  // A DAT of ~40 MB (138 columns): far past the memory bound and every buffer on the way.
  const body = { count: 20_000, seed: 41, columnProfile: 'full', format: 'tar' };
  const seen = await new Promise<string[]>((resolve, reject) => {
    const req = httpRequest(`${server.origin}/archives`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      res.on('data', () => {
        const names = readdirSync(tempDir);
        if (names.length === 0) return;
        // Stop reading: the writer waits with the spilled file open, then leave.
        res.pause();
        res.removeAllListeners('data');
        resolve(names);
        req.destroy();
      });
      res.on('error', () => undefined);
      res.on('end', () => reject(new Error('the whole archive came without a spill seen')));
    });
    req.on('error', () => undefined);
    req.end(JSON.stringify(body));
  });
  t.ok(seen.some((name) => name.startsWith('zipper-cd-')), `a spill folder while the load file was written (${seen.join(', ')})`);
  let left = readdirSync(tempDir);
  for (let k = 0; k < 200 && left.length > 0; k++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    left = readdirSync(tempDir);
  }
  t.strictSame(left, [], 'the temporary file is removed once the client left');
});

t.test('no unhandled rejection in the whole run', async (t) => {
  await new Promise((resolve) => setTimeout(resolve, 200));
  t.strictSame(unhandled, []);
});
