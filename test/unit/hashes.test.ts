import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import t from 'tap';
import { createArchiveStream, type ArchiveStreamOptions } from '../../src/generator/archive.js';
import { documentSize } from '../../src/generator/documents/index.js';
import { documentSegments } from '../../src/generator/entries.js';
import { HASH_COLUMN_NAMES, hashAlgorithmOf, simulatedHashes, withHashColumns } from '../../src/generator/loadfile/hash-columns.js';
import { archiveHashesDocuments, HashStore } from '../../src/generator/loadfile/hash-store.js';
import { loadFileChunks } from '../../src/generator/loadfile/writer.js';
import type { LoadFileColumn } from '../../src/generator/loadfile/columns.js';
import { prepareRows } from '../../src/generator/parallel/batch.js';
import { rowsOf } from '../../src/generator/parallel/loadfile.js';
import { GeneratorPool } from '../../src/generator/parallel/pool.js';
import { ArchivePlan } from '../../src/generator/plan.js';
import { resolveRequest } from '../../src/generator/resolve.js';
import { archiveRequestSchema } from '../../src/schemas/archive-request.js';
import { defaultConfig } from '../../src/config.js';
import { parseDat } from '../helpers/dat.js';
import { readZip } from '../helpers/zip.js';

function plan(fields: Record<string, unknown>): ArchivePlan {
  const resolution = resolveRequest(archiveRequestSchema(defaultConfig.limits, 'json').parse({ seed: 21, ...fields }));
  if (!resolution.ok) throw new Error(resolution.errors[0]!.message);
  return resolution.plan;
}

const collect = (archivePlan: ArchivePlan, options: ArchiveStreamOptions): Promise<Buffer> => buffer(createArchiveStream(archivePlan, options));

t.test('HashStore: rows past the bound move to a temporary file and read back in order, by any reader, in any steps', async (t) => {
  const tempDir = await mkdtemp(join(tmpdir(), 'hash-store-test-'));
  t.teardown(() => rm(tempDir, { recursive: true, force: true }));
  const store = new HashStore({ algorithms: ['md5', 'sha256'], spillThreshold: 1000, tempDir });
  t.equal(store.rowBytes, 48);
  const rows = 3000;
  const all = Buffer.alloc(rows * 48);
  for (let k = 0; k < all.length; k++) all[k] = (k * 31 + (k >> 8)) & 0xff;
  // Appended in batches of varied sizes, as batches come back.
  for (let row = 0, batch = 1; row < rows; row += batch, batch = (batch * 7) % 23 || 1) {
    const take = Math.min(batch, rows - row);
    store.append(all.subarray(row * 48, (row + take) * 48), take);
  }
  t.equal(store.rows, rows);
  t.ok(store.hasSpilled, 'past 1,000 bytes the rows went to a file');
  const [folder] = (await readdir(tempDir)).filter((name) => name.startsWith('zipper-cd-'));
  t.ok(folder, 'in a spill folder of this process');
  const spilled = (await stat(join(tempDir, folder!, 'hashes.bin'))).size;
  t.ok(spilled >= all.length - 1000 && spilled <= all.length, `${spilled} of ${all.length} bytes in the file, at most the bound in memory`);

  for (const step of [1, 7, 5000, 2999]) {
    const reader = store.reader();
    const read: Buffer[] = [];
    for (let row = 0; row < rows; row += step) read.push(reader.read(Math.min(step, rows - row)));
    t.ok(Buffer.concat(read).equals(all), `read back in steps of ${step} rows`);
  }
  const reader = store.reader();
  reader.read(rows);
  t.throws(() => reader.read(1), /past the 3000 recorded/, 'reading past the rows recorded fails');
  store.dispose();
  t.same(await readdir(tempDir), [], 'dispose removes the folder');
});

t.test('archive with actual hashes: digests spill past a small bound and the load file still holds every native’s hashes', async (t) => {
  const tempDir = await mkdtemp(join(tmpdir(), 'hash-spill-test-'));
  t.teardown(() => rm(tempDir, { recursive: true, force: true }));
  const pool = new GeneratorPool(2);
  t.teardown(() => pool.close());
  const archivePlan = plan({ count: 1500, fileTypes: { pdf: 2, eml: 1 }, withFamilies: true, attachmentRate: 50, hashMode: 'actual', hashAlgorithms: ['sha1', 'md5'], loadFileFormats: ['dat', 'csv'] });
  const expectedRows = rowsOf(archivePlan, 1, archivePlan.count + 1);
  let spillSeen: number | null = null;
  const archive = await collect(archivePlan, {
    pool,
    tempDir,
    hashSpillThreshold: 1,
    // When the first rows of the load file leave, every document has been hashed: the file holds them.
    onLoadFileRows: () => {
      if (spillSeen !== null) return;
      spillSeen = 0;
      for (const folder of readdirSync(tempDir)) {
        if (readdirSync(join(tempDir, folder)).includes('hashes.bin')) spillSeen = statSync(join(tempDir, folder, 'hashes.bin')).size;
      }
    },
  });
  t.equal(spillSeen, expectedRows * 36, `the file held all ${expectedRows} rows' digests (16 + 20 bytes each) while the load file was made`);
  t.same(await readdir(tempDir), [], 'and is gone once the archive is done');
  const entries = await readZip(archive);
  const dat = parseDat(entries.find((entry) => entry.name === 'archive.dat')!.data, 'UTF-8');
  t.same(dat.header.slice(-2), ['MD5HASH', 'SHA1HASH']);
  t.equal(dat.rows.length, expectedRows);
  const byPath = new Map(dat.rows.map((row) => [row[1], row.slice(-2)]));
  const natives = entries.filter((entry) => entry.name.includes('/'));
  t.equal(natives.length, expectedRows);
  const wrong = natives.filter((entry) => {
    const [md5, sha1] = byPath.get(entry.name)!;
    return md5 !== createHash('md5').update(entry.data).digest('hex') || sha1 !== createHash('sha1').update(entry.data).digest('hex');
  });
  t.same(wrong.map((entry) => entry.name), [], 'every native’s MD5 and SHA-1');
  const csv = entries.find((entry) => entry.name === 'archive.csv')!.data.toString('utf8').trimEnd().split('\r\n').slice(1);
  t.same(csv.map((line) => line.split(',').slice(-2)), dat.rows.map((row) => row.slice(-2)), 'the second load file read the same digests');
});

t.test('a reader that leaves while the load file is made: the digests’ temporary file is removed', async (t) => {
  const tempDir = await mkdtemp(join(tmpdir(), 'hash-abort-test-'));
  t.teardown(() => rm(tempDir, { recursive: true, force: true }));
  const pool = new GeneratorPool(2);
  t.teardown(() => pool.close());
  const archivePlan = plan({ count: 3000, hashMode: 'actual', hashAlgorithms: ['md5', 'sha1', 'sha256'], loadFileFormats: ['dat', 'csv'] });
  const stream = createArchiveStream(archivePlan, { pool, tempDir, hashSpillThreshold: 1 });
  let seen: string[] = [];
  const closed = new Promise((resolve) => stream.on('close', resolve));
  stream.on('error', () => undefined);
  stream.on('data', () => {
    const folders = readdirSync(tempDir);
    if (seen.length === 0 && folders.some((folder) => readdirSync(join(tempDir, folder)).includes('hashes.bin'))) {
      seen = folders;
      stream.destroy();
    }
  });
  await closed;
  t.ok(seen.length > 0, 'the digests had spilled when the reader left');
  t.same(readdirSync(tempDir), [], 'nothing left behind');
});

t.test('recomputed hashes (no digests given): any range of rows, made alone, has the archive’s values — nothing is kept between rows', async (t) => {
  const archivePlan = plan({ count: 60, fileTypes: { pdf: 1, eml: 1, docx: 1 }, withFamilies: true, attachmentRate: 50, targetSize: '2MB', hashMode: 'actual', hashAlgorithms: ['md5', 'sha256'] });
  const whole = parseDat(Buffer.concat([...loadFileChunks(archivePlan, 'dat', documentSize)]), 'UTF-8');
  const rows = prepareRows({ request: archivePlan.request, padding: archivePlan.padding, format: 'dat', from: 41, to: 51 });
  const header = Buffer.from(Buffer.concat([...loadFileChunks(archivePlan, 'dat', documentSize, 0)]));
  const alone = parseDat(Buffer.concat([header, Buffer.from(rows.bytes)]), 'UTF-8');
  const first = whole.rows.findIndex((row) => row[0] === 'DOC00000041');
  t.same(alone.rows, whole.rows.slice(first, first + rows.rows), 'documents 41–50 made alone = the same rows of the whole file');
  for (const doc of archivePlan.family(44)) {
    const bytes = Buffer.concat(documentSegments(archivePlan, doc));
    const row = whole.rows.find((candidate) => candidate[0] === doc.controlNumber)!;
    t.same(row.slice(-2), [createHash('md5').update(bytes).digest('hex'), createHash('sha256').update(bytes).digest('hex')], `${doc.controlNumber}: its own bytes`);
  }
});

t.test('simulated hashes: lengths, lowercase hex, per document and algorithm, an attachment’s apart from its email', async (t) => {
  const archivePlan = plan({ count: 50, fileType: 'eml', withFamilies: true, attachmentRate: 100, hashMode: 'simulated', hashAlgorithms: ['md5', 'sha1', 'sha256'] });
  const [parent, child] = archivePlan.family(3);
  const hashes = simulatedHashes(21, parent!, ['md5', 'sha1', 'sha256']);
  t.match(hashes, { md5: /^[0-9a-f]{32}$/, sha1: /^[0-9a-f]{40}$/, sha256: /^[0-9a-f]{64}$/ });
  t.same(simulatedHashes(21, parent!, ['sha1']), { sha1: hashes.sha1 }, 'one algorithm’s value does not depend on the others asked for');
  t.not(simulatedHashes(21, child!, ['md5']).md5, hashes.md5, 'the attachment has values of its own');
  t.not(simulatedHashes(22, parent!, ['md5']).md5, hashes.md5, 'another seed, another value');
  t.not(simulatedHashes(21, archivePlan.document(4), ['md5']).md5, hashes.md5, 'another document, another value');
});

t.test('hash columns: appended last in the fixed order, or in place where a column already carries the hash', async (t) => {
  const archivePlan = plan({ count: 3, hashMode: 'simulated', hashAlgorithms: ['sha256', 'md5'] });
  const base = (name: string, extra: Partial<LoadFileColumn> = {}): LoadFileColumn => ({ name, field: name, kind: 'text', needs: 'names', value: () => 'profile value', ...extra });
  const appended = withHashColumns(archivePlan, [base('Control Number')]);
  t.same(appended.map((column) => column.name), ['Control Number', 'MD5HASH', 'SHA256HASH']);
  // A profile's own column (marked, or named as Zipper spells it) gets the hash, and no duplicate is appended.
  const profile = withHashColumns(archivePlan, [base('MD5 HASH'), base('Control Number'), base('Digest', { hashAlgorithm: 'sha256' }), base('SHA1HASH', { hashAlgorithm: 'sha1' })]);
  t.same(profile.map((column) => column.name), ['MD5 HASH', 'Control Number', 'Digest', 'SHA1HASH']);
  t.same(profile.map((column) => column.hashAlgorithm), ['md5', undefined, 'sha256', undefined], 'a hash not asked for loses its mark');
  const row = { doc: archivePlan.document(1), size: documentSize, bates: null };
  const expected = simulatedHashes(21, row.doc, ['md5', 'sha256']);
  t.same(profile.map((column) => column.value(row)), [expected.md5, 'profile value', expected.sha256, 'profile value'], 'sha1 not asked for: its column keeps the profile’s value');
  t.equal(hashAlgorithmOf({ name: 'sha256_hash' }), 'sha256');
  t.equal(hashAlgorithmOf({ name: 'HASH' }), undefined);
  t.same(HASH_COLUMN_NAMES, { md5: 'MD5HASH', sha1: 'SHA1HASH', sha256: 'SHA256HASH' });
  t.equal(withHashColumns(plan({ count: 3 }), [base('A')]).length, 1, 'hashMode none: nothing added');
});

t.test('which archives hash their documents in the workers (and keep the digests) and which hash them again where the rows are made', async (t) => {
  const large = { count: 10, targetSize: '5MB', hashMode: 'actual' };
  const cases: Array<[Record<string, unknown>, boolean, string]> = [
    [{ count: 10, hashMode: 'actual' }, true, 'small documents'],
    [large, false, 'large documents, one load file: rows made early on the main thread hash them'],
    [{ ...large, loadFileFormats: ['dat', 'csv'] }, true, 'large documents, two load files listing hashes'],
    [{ ...large, loadFileFormats: ['dat', 'opt'] }, false, 'OPT lists none'],
    [{ ...large, loadFileFormats: ['opt', 'dat'] }, true, 'early rows go to the first load file: OPT'],
    [{ ...large, bates: { prefix: 'B' } }, true, 'Bates numbers: one sequential pass'],
    [{ ...large, loadFileFormat: 'opt' }, false, 'no load file lists hashes'],
    [{ count: 10, hashMode: 'simulated' }, false, 'simulated'],
  ];
  for (const [fields, expected, label] of cases) t.equal(archiveHashesDocuments(plan(fields)), expected, label);
});
