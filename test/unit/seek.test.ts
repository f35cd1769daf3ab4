/**
 * Seeking (issue 13): a generation records its archive's layout (seek points; the tail when whole,
 * the central headers when cut), and a generation started at any seek point writes exactly the
 * archive's bytes from there — with a known tail, or with the central headers of a cut one.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import t from 'tap';
import { createArchiveStream, layoutKnowable, type ArchiveStreamOptions } from '../../src/generator/archive.js';
import { GeneratorPool } from '../../src/generator/parallel/pool.js';
import { ArchivePlan } from '../../src/generator/plan.js';
import { sizePlan } from '../../src/generator/sizing.js';
import { recordLayout, type ArchiveLayout } from '../../src/generator/seek/archive-layout.js';
import { ArchiveLayouts } from '../../src/generator/seek/archive-layouts.js';
import { archiveRequestSchema } from '../../src/schemas/archive-request.js';
import { defaultConfig } from '../../src/config.js';
import { readZip } from '../helpers/zip.js';
import { readTar } from '../helpers/tar.js';
import { Rng } from '../../src/generator/random.js';

function plan(fields: Record<string, unknown>): ArchivePlan {
  const request = { ...archiveRequestSchema({ ...defaultConfig.limits, maxCount: 1_000_000 }, 'json').parse(fields), seed: 31 };
  const sized = sizePlan(new ArchivePlan(request));
  if (!sized.ok) throw new Error(sized.message);
  return sized.plan;
}

/** The stream's bytes, up to `limit` (then it is destroyed, as a client that leaves would). */
async function collect(archivePlan: ArchivePlan, options: ArchiveStreamOptions, limit = Number.POSITIVE_INFINITY): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  const stream = createArchiveStream(archivePlan, options);
  await pipeline(
    stream,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        length += chunk.length;
        if (length >= limit) {
          stream.destroy();
          return callback(new Error('enough'));
        }
        callback();
      },
    }),
  ).catch((error: Error) => {
    if (error.message !== 'enough' && length < limit) throw error;
  });
  return Buffer.concat(chunks).subarray(0, Math.min(length, limit));
}

const pool = new GeneratorPool(2);
t.teardown(() => pool.close());
const tempDir = mkdtempSync(join(tmpdir(), 'zipper-seek-test-'));
t.teardown(() => rmSync(tempDir, { recursive: true, force: true }));

/** Makes the archive whole while recording its layout. */
async function wholeWithLayout(archivePlan: ArchivePlan): Promise<{ whole: Buffer; layout: ArchiveLayout }> {
  let layout: ArchiveLayout | undefined;
  const whole = await collect(archivePlan, { pool, tempDir, recorder: recordLayout((recorded) => (layout = recorded)) });
  return { whole, layout: layout! };
}

const cases: Array<Record<string, unknown>> = [
  { count: 3000, fileTypes: { pdf: 30, eml: 30, docx: 20, xlsx: 20 }, withFamilies: true, attachmentRate: 30, withText: true, loadFileFormats: ['dat', 'opt', 'csv', 'edrm-xml'], withAudit: true },
  { count: 2000, fileType: 'tiff', tiffPages: { min: 1, max: 3 }, compression: 'deflate', withMetadata: true },
  { count: 1500, fileType: 'jpg', targetSize: '40MB' },
  { count: 2500, chaos: { amount: '5%' }, loadFileFormats: ['dat', 'opt'] },
  { count: 2000, fileTypes: { pdf: 50, eml: 50 }, withText: true, format: 'tar' },
  // Zip64: over 65,535 entries.
  { count: 70_000, compression: 'store' },
];

for (const fields of cases) {
  t.test(`from every seek point the archive's own bytes, whole layout (tail read, not made): ${JSON.stringify(fields)}`, async (t) => {
    const archivePlan = plan(fields);
    t.ok(layoutKnowable(archivePlan, {}), 'a layout can be known');
    const { whole, layout } = await wholeWithLayout(archivePlan);
    t.equal(layout.length, whole.length, 'the layout knows the length');
    t.ok(layout.tail, 'and the tail');
    t.equal(layout.central, null, 'no central headers kept: the tail holds them');
    t.equal(layout.tail!.offset + layout.tail!.file.bytes, whole.length, 'the tail runs to the end');
    t.equal(layout.points[0]!.offset, 0, 'the first point is the start');
    t.equal(layout.points.at(-1)!.document, archivePlan.count + 1, 'the last point is the documents\' end');
    t.equal(layout.points.at(-1)!.offset, layout.tail!.offset);
    // Every point would take long at 70,000 entries: the first few, the last few and some between.
    const rng = new Rng(31, 7, 0);
    const points = layout.points.length <= 12 ? layout.points : [...layout.points.slice(1, 4), ...layout.points.slice(-3), ...Array.from({ length: 4 }, () => layout.points[rng.below(layout.points.length)]!)];
    for (const point of points) {
      const made = { documents: 0, rows: 0 };
      const rest = await collect(archivePlan, { pool, tempDir, seek: layout.seekTo(point), onDocument: () => made.documents++, onLoadFileRows: (rows) => (made.rows += rows) });
      t.ok(rest.equals(whole.subarray(point.offset)), `from document ${point.document} (byte ${point.offset}): the same ${whole.length - point.offset} bytes`);
      t.same(made, { documents: archivePlan.count + 1 - point.document, rows: 0 }, 'only the documents from there made; no load-file row (the tail is read)');
    }
    if (fields.format === 'tar') t.equal((await readTar(whole)).length, archivePlan.count + archivePlan.count * 1 + 1, 'tar reads back');
    else t.ok((await readZip(whole)).length > archivePlan.count, 'zip reads back');
    layout.release();
    t.same(readdirSync(tempDir).flatMap((folder) => readdirSync(join(tempDir, folder))), [], 'released: every file removed');
  });
}

t.test('a cut generation leaves its points and central headers: the rest, made from its last point, is the archive\'s', async (t) => {
  for (const fields of [cases[0]!, cases[4]!, cases[5]!]) {
    const archivePlan = plan(fields);
    const { whole, layout: complete } = await wholeWithLayout(archivePlan);
    complete.release();
    let cut: ArchiveLayout | undefined;
    const prefix = await collect(archivePlan, { pool, tempDir, recorder: recordLayout((recorded) => (cut = recorded)) }, Math.floor(whole.length * 0.7));
    t.ok(prefix.equals(whole.subarray(0, prefix.length)), 'the cut download is the archive\'s start');
    t.ok(cut, 'a cut generation still tells its layout');
    t.equal(cut!.length, undefined, 'no length: it did not end');
    t.equal(cut!.tail, null);
    t.equal(cut!.central === null, fields.format === 'tar', 'a ZIP keeps its central headers so far');
    const last = cut!.points.at(-1)!;
    t.ok(last.offset > whole.length * 0.3 && last.offset <= prefix.length, `its last point (${last.offset}) lies in what was made`);
    // Made from the cut's last point while recording: the rest of the archive, and a whole layout —
    // its tail from the documents' end, or (copyFromStart) from the cut's last point.
    for (const copyFromStart of [false, true]) {
      const label = `${JSON.stringify(fields)}${copyFromStart ? ', copied from the start' : ''}`;
      let resumed: ArchiveLayout | undefined;
      const rest = await collect(archivePlan, { pool, tempDir, seek: cut!.seekTo(last), recorder: recordLayout((recorded) => (resumed = recorded), { known: cut!.pointsTo(last), copyFromStart }) });
      t.ok(rest.equals(whole.subarray(last.offset)), `${label}: from byte ${last.offset}, the archive's bytes`);
      t.equal(resumed?.length, whole.length, 'the resumed generation learnt the whole layout');
      t.same(resumed!.points.slice(0, cut!.pointsTo(last).length), cut!.pointsTo(last), 'it goes on from the cut\'s points');
      t.same([resumed!.tail!.offset, resumed!.tail!.document], copyFromStart ? [last.offset, last.document] : [resumed!.points.at(-1)!.offset, archivePlan.count + 1], 'its tail begins where it was copied from');
      for (const point of [resumed!.points[1]!, last, resumed!.points.at(-2)!]) {
        let made = 0;
        const fromPoint = await collect(archivePlan, { pool, tempDir, seek: resumed!.seekTo(point), onDocument: () => made++ });
        t.ok(fromPoint.equals(whole.subarray(point.offset)), `${label}: seeking in it to byte ${point.offset} gives the archive's bytes`);
        const expected = copyFromStart ? Math.max(0, last.document - point.document) : archivePlan.count + 1 - point.document;
        t.equal(made, expected, `${made} documents made (the rest is read from the tail)`);
      }
      resumed!.release();
    }
    cut!.release();
  }
  t.same(readdirSync(tempDir).flatMap((folder) => readdirSync(join(tempDir, folder))), [], 'every file removed once released');
});

t.test('a generation started at a seek point and cut records nothing (its central headers are not whole)', async (t) => {
  const archivePlan = plan(cases[0]!);
  const { whole, layout } = await wholeWithLayout(archivePlan);
  let told = false;
  const middle = layout.points[Math.floor(layout.points.length / 2)]!;
  await collect(archivePlan, { pool, tempDir, seek: layout.seekTo(middle), recorder: recordLayout(() => (told = true), { known: layout.pointsTo(middle) }) }, 1000);
  t.notOk(told, 'nothing offered');
  t.ok(whole.length > 0);
  layout.release();
});

t.test('a tail longer than the recorder may keep is not copied to the end: the length is told, no point, no file', async (t) => {
  const archivePlan = plan({ count: 3000, withText: true, loadFileFormats: ['dat', 'csv'] });
  let layout: ArchiveLayout | undefined;
  const whole = await collect(archivePlan, { pool, tempDir, recorder: recordLayout((recorded) => (layout = recorded), { maxTailBytes: 64 * 1024 }) });
  t.equal(layout!.length, whole.length, 'the length');
  t.same(layout!.points, [], 'no point to seek from');
  t.equal(layout!.tail, null);
  t.same(readdirSync(tempDir).flatMap((folder) => readdirSync(join(tempDir, folder))), [], 'the tail copied so far removed');
});

t.test('a layout that cannot be written (no temporary folder) costs the download nothing: its bytes are whole, only the length is learnt', async (t) => {
  const archivePlan = plan({ count: 1500, withText: true });
  const reference = await collect(archivePlan, { pool, tempDir });
  const missing = join(tempDir, 'no-such-folder');
  let layout: ArchiveLayout | undefined;
  const whole = await collect(archivePlan, { pool, tempDir: missing, recorder: recordLayout((recorded) => (layout = recorded)) });
  t.ok(whole.equals(reference), 'the same bytes');
  t.equal(layout!.length, whole.length, 'the length');
  t.same(layout!.points, [], 'no point: no tail to read');
  let told = false;
  const cut = await collect(archivePlan, { pool, tempDir: missing, recorder: recordLayout(() => (told = true)) }, 200_000);
  t.ok(cut.equals(reference.subarray(0, cut.length)), 'a cut download: its bytes');
  t.notOk(told, 'its central headers could not be kept: nothing told');
});

t.test('no layout where a generation depends on what came before: tgz, productions, hashMode actual, the stock engine', async (t) => {
  t.notOk(layoutKnowable(plan({ count: 10, format: 'tgz' }), {}), 'tgz');
  t.notOk(layoutKnowable(plan({ count: 10, hashMode: 'actual', loadFileFormats: ['dat'], hashAlgorithms: ['md5'] }), {}), 'hashMode actual');
  t.notOk(layoutKnowable(plan({ count: 10 }), { engine: 'archiver' }), 'stock engine');
  t.notOk(layoutKnowable(plan({ count: 10 }), { sections: [] }), 'sections (a production)');
  t.throws(() => createArchiveStream(plan({ count: 10, format: 'tgz' }), { recorder: recordLayout(() => undefined) }), /no layout/);
});

t.test('ArchiveLayouts: the layout that reaches further is kept, within a budget of disk bytes, least recently used first out', async (t) => {
  const archivePlan = plan({ count: 1500, fileType: 'pdf' });
  const make = async (limit?: number) => {
    let layout: ArchiveLayout | undefined;
    await collect(archivePlan, { pool, tempDir, recorder: recordLayout((recorded) => (layout = recorded)) }, limit);
    return layout!;
  };
  const whole = await make();
  const budget = whole.bytes * 2 + 10;
  const layouts = new ArchiveLayouts({ lengths: 10, layouts: 10, layoutBytes: budget });
  const cut = await make(200_000);
  layouts.offer('"a"', cut);
  t.equal(layouts.layout('"a"'), cut, 'a cut layout is kept while none better is known');
  t.equal(layouts.length('"a"'), undefined);
  layouts.offer('"a"', whole);
  t.equal(layouts.layout('"a"'), whole, 'a whole one replaces it');
  t.equal(layouts.length('"a"'), whole.length);
  const shorter = await make(100_000);
  layouts.offer('"a"', shorter);
  t.equal(layouts.layout('"a"'), whole, 'a cut one does not replace a whole one');
  layouts.offer('"b"', await make());
  t.ok(layouts.layout('"b"'));
  layouts.layout('"a"'); // a used last: b goes first
  layouts.offer('"c"', await make());
  t.equal(layouts.layout('"b"'), undefined, 'over the budget: the least recently used goes');
  t.ok(layouts.layout('"a"') && layouts.layout('"c"'));
  t.equal(layouts.length('"b"'), whole.length, 'its length is still remembered (a number)');
  const tight = new ArchiveLayouts({ lengths: 10, layouts: 10, layoutBytes: 10 });
  tight.offer('"d"', await make());
  t.equal(tight.layout('"d"'), undefined, 'a layout larger than the budget is not kept');
  t.equal(tight.length('"d"'), whole.length, 'but its length is');
  const none = new ArchiveLayouts({ lengths: 10, layouts: 10, layoutBytes: 0 });
  let tarLayout: ArchiveLayout | undefined;
  await collect(plan({ count: 1500, format: 'tar' }), { pool, tempDir, recorder: recordLayout((recorded) => (tarLayout = recorded)) }, 100_000);
  t.equal(tarLayout!.bytes, 0, 'a cut tar keeps no file');
  none.offer('"e"', tarLayout!);
  t.equal(none.layout('"e"'), undefined, 'a budget of 0 keeps no layout, not even one without files');
  layouts.clear();
  t.same(readdirSync(tempDir).flatMap((folder) => readdirSync(join(tempDir, folder))), [], 'cleared: every file removed');
});

t.test('ArchiveLayouts.measured: one measurement per archive; waiters share it, leave on their own signal, and measure again if it fails', async (t) => {
  const layouts = new ArchiveLayouts({ lengths: 10, layouts: 10, layoutBytes: 1000 });
  let calls = 0;
  let finish!: (length: number) => void;
  const slow = () => {
    calls++;
    return new Promise<number>((resolve) => (finish = resolve));
  };
  const never = new AbortController().signal;
  const first = layouts.measured('"x"', never, slow);
  const second = layouts.measured('"x"', never, slow);
  const leaving = new AbortController();
  const third = layouts.measured('"x"', leaving.signal, slow);
  leaving.abort(new Error('client left'));
  await t.rejects(third, /client left/, 'a waiter whose client leaves stops waiting');
  finish(1234);
  layouts.setLength('"x"', 1234);
  t.same(await Promise.all([first, second]), [1234, 1234]);
  t.equal(calls, 1, 'one measurement for both');
  t.equal(await layouts.measured('"x"', never, slow), 1234, 'then known: no measurement');
  t.equal(calls, 1);
  let fail!: (error: Error) => void;
  const failing = layouts.measured('"y"', never, () => new Promise<number>((_, reject) => (fail = reject)));
  const waiter = layouts.measured('"y"', never, async () => 99);
  fail(new Error('its client left'));
  await t.rejects(failing, /its client left/);
  t.equal(await waiter, 99, 'its waiter measured itself');
});
