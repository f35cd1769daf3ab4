import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import t from 'tap';
import { createArchiveStream, type ArchiveStreamOptions } from '../../src/generator/archive.js';
import { archiveEntries, type ArchiveEntry } from '../../src/generator/entries.js';
import { GeneratorPool } from '../../src/generator/parallel/pool.js';
import { ReadAheadBudget } from '../../src/generator/read-ahead-budget.js';
import { ArchivePlan } from '../../src/generator/plan.js';
import { sizePlan } from '../../src/generator/sizing.js';
import { archiveRequestSchema } from '../../src/schemas/archive-request.js';
import { defaultConfig } from '../../src/config.js';
import { readZip } from '../helpers/zip.js';

function plan(fields: Record<string, unknown>): ArchivePlan {
  const request = { ...archiveRequestSchema(defaultConfig.limits, 'json').parse(fields), seed: 77 };
  const sized = sizePlan(new ArchivePlan(request));
  if (!sized.ok) throw new Error(sized.message);
  return sized.plan;
}

async function collect(archivePlan: ArchivePlan, options: ArchiveStreamOptions = {}): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await pipeline(
    createArchiveStream(archivePlan, options),
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
    }),
  );
  return Buffer.concat(chunks);
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const pool = new GeneratorPool(2);
t.teardown(() => pool.close());

t.test('same bytes whether documents are prepared inline or by 1 or 2 workers', async (t) => {
  for (const fields of [
    { count: 3000, fileType: 'eml', attachmentRate: 40, withText: true, withMetadata: true, folders: 4 },
    { count: 500, fileType: 'tiff', compression: 'deflate' },
    { count: 50, fileType: 'jpg', targetSize: '3MB' },
    // Load files are partly generated while workers render documents: the same bytes either way.
    { count: 20_000, withMetadata: true, loadFileFormats: ['csv', 'dat', 'edrm-xml'] },
  ]) {
    const archivePlan = plan(fields);
    const inline = sha256(await collect(archivePlan));
    const one = new GeneratorPool(1);
    t.equal(sha256(await collect(archivePlan, { pool: one })), inline, `${JSON.stringify(fields)}: 1 worker`);
    await one.close();
    t.equal(sha256(await collect(archivePlan, { pool })), inline, `${JSON.stringify(fields)}: 2 workers`);
  }
});

t.test('same bytes whatever the read-ahead share, with several archives streaming at once', async (t) => {
  const archivePlan = plan({ count: 20_000, fileType: 'eml', attachmentRate: 20, withMetadata: true });
  const unbounded = sha256(await collect(archivePlan, { pool }));
  // A budget of 1 byte: every bound at its floor (two batches, one row task, no early rows, the smallest spill).
  const tight = new GeneratorPool(2, { readAhead: new ReadAheadBudget(1), releaseMemoryAfterMs: 50 });
  t.teardown(() => tight.close());
  const together = await Promise.all([1, 2, 3].map(() => collect(archivePlan, { pool: tight, spillThreshold: 64 * 1024 })));
  for (const bytes of together) t.equal(sha256(bytes), unbounded);
  t.equal(tight.readAhead.archivesStreaming, 0, 'every archive left the budget when it ended');
  // Idle past releaseMemoryAfterMs: the memory-reducing collection runs, and the pool still works after it.
  await new Promise((resolve) => setTimeout(resolve, 200));
  t.equal(sha256(await collect(archivePlan, { pool: tight })), unbounded, 'after an idle collection');
});

t.test('ours and stock archiver write the same files', async (t) => {
  const archivePlan = plan({ count: 300, fileType: 'pdf', withText: true, withMetadata: true });
  const ours = await readZip(await collect(archivePlan, { pool }));
  const stock = await readZip(await collect(archivePlan, { engine: 'archiver' }));
  t.same(
    ours.map((entry) => [entry.name, sha256(entry.data)]),
    stock.map((entry) => [entry.name, sha256(entry.data)]),
  );
  t.ok(ours.filter((entry) => !entry.name.endsWith('.dat')).every((entry) => !entry.usesDataDescriptor), 'ours: sizes in every local header');
  t.ok(ours.filter((entry) => entry.name.endsWith('.pdf')).every((entry) => entry.compressionMethod === 8), 'ours: PDFs deflated (auto)');
});

t.test('the central directory spills to a temporary file that is removed after success, failure and disconnect', async (t) => {
  const tempDir = await mkdtemp(join(tmpdir(), 'zipper-spill-test-'));
  t.teardown(() => rm(tempDir, { recursive: true, force: true }));
  const archivePlan = plan({ count: 4000, withText: true });
  const spill = { tempDir, spillThreshold: 16 * 1024 };

  // Success: the file exists while the archive is written, and is gone after.
  let sawSpill = false;
  const bytes: Buffer[] = [];
  await pipeline(
    createArchiveStream(archivePlan, { ...spill, pool }),
    new Writable({
      async write(chunk: Buffer, _encoding, callback) {
        bytes.push(chunk);
        if ((await readdir(tempDir)).length > 0) sawSpill = true;
        callback();
      },
    }),
  );
  t.ok(sawSpill, 'a spill file existed while writing');
  t.same(await readdir(tempDir), [], 'removed after success');
  const entries = await readZip(Buffer.concat(bytes));
  t.equal(entries.length, 4000 * 2 + 1, 'the spilled central directory reads back whole');
  t.equal(sha256(Buffer.concat(bytes)), sha256(await collect(archivePlan, { pool })), 'spilling changes no byte');

  // Failure mid-archive.
  function* failing(): Generator<ArchiveEntry> {
    let n = 0;
    for (const entry of archiveEntries(archivePlan)) {
      if (++n === 6000) throw new Error('boom');
      yield entry;
    }
  }
  await t.rejects(collect(archivePlan, { ...spill, entries: failing() }), /boom/);
  t.same(await readdir(tempDir), [], 'removed after failure');

  // The reader leaves mid-archive.
  const stream = createArchiveStream(archivePlan, { ...spill, pool });
  let received = 0;
  await new Promise<void>((resolve) => {
    stream.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > 2 * 1024 * 1024) {
        stream.destroy();
        resolve();
      }
    });
  });
  await new Promise((resolve) => setTimeout(resolve, 200));
  t.same(await readdir(tempDir), [], 'removed after the reader left');
});
