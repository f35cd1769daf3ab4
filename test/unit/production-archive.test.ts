import t from 'tap';
import { archiveRequestSchema } from '../../src/schemas/archive-request.js';
import { resolveRequest } from '../../src/generator/resolve.js';
import { createArchiveStream } from '../../src/generator/archive.js';
import { productionArchiveEntries, productionSections, ProductionValidationError } from '../../src/generator/production/entries.js';
import { GeneratorPool } from '../../src/generator/parallel/pool.js';
import type { ProductionRecord } from '../../src/generator/production/plan.js';
import type { ProductionManifest, ValidationReport } from '../../src/generator/production/manifest.js';
import { readZip } from '../helpers/zip.js';
import { alterDatRecords, checkSet } from '../helpers/production.js';

const limits = { maxCount: 100_000, maxTargetSize: 1e9 };

async function productionArchive(fields: Record<string, unknown>) {
  const parsed = archiveRequestSchema(limits, 'json').parse({ seed: 5, ...fields });
  const resolution = resolveRequest(parsed);
  if (!resolution.ok) throw new Error(resolution.errors[0]!.message);
  const stream = createArchiveStream(resolution.plan, { entries: productionArchiveEntries(resolution.production!) });
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return { production: resolution.production!, entries: await readZip(Buffer.concat(chunks)) };
}

t.test('a production archive: natives, page images, texts, DAT, OPT, manifest and report from what was written', async (t) => {
  const { entries } = await productionArchive({
    count: 60,
    fileTypes: { pdf: 50, eml: 30, tiff: 20 },
    withFamilies: true,
    attachmentRate: 50,
    tiffPages: { min: 1, max: 3 },
    bates: { prefix: 'ABC', start: 1, digits: 8 },
    production: { volumeSize: 25 },
  });
  const { dat, opt, byName } = checkSet(t, entries, 'PRODUCTION_001');
  t.ok(dat.rows.length > 60, 'attachment rows');
  const column = (name: string) => dat.header.indexOf(name);
  const wrongSizes = dat.rows.filter((row) => byName.get(row[column('NATIVE_PATH')]!.replaceAll('\\', '/'))!.data.length !== Number(row[column('FILE_SIZE')]));
  t.equal(wrongSizes.length, 0, 'FILE_SIZE is the native\'s byte length');
  t.same([...new Set([...byName.keys()].filter((name) => name.startsWith('NATIVES/')).map((name) => name.split('/')[1]))].sort(), ['VOL001', 'VOL002', 'VOL003']);
  t.ok(byName.has('IMAGES/VOL001/ABC00000001.tif') || byName.has('IMAGES/VOL001/ABC00000001_001.tif'), 'Bates-named images');
  const manifest = JSON.parse(byName.get('_manifest.json')!.data.toString('utf8')) as ProductionManifest;
  t.equal(manifest.batesRange.start, 'ABC00000001');
  t.equal(manifest.batesRange.end, 'ABC00000060');
  t.equal(manifest.nativeFileCount, [...byName.keys()].filter((name) => name.startsWith('NATIVES/')).length, 'manifest natives = the archive\'s');
  t.equal(manifest.volumeCount, 3);
  const report = JSON.parse(byName.get('_validation_report.json')!.data.toString('utf8')) as ValidationReport;
  t.equal(report.status, 'passed', JSON.stringify(report.findings.slice(0, 3)));
  t.equal(report.checkedLoadFileRowCounts.dat, dat.rows.length + 1);
  t.equal(report.checkedLoadFileRowCounts.opt, opt.length);
  t.equal(report.checkedFileCounts.image, [...byName.keys()].filter((name) => name.startsWith('IMAGES/')).length);
  t.equal(entries.at(-1)!.name, 'PRODUCTION_001/_validation_report.json', 'the report is last');
});

t.test('rolling sets and a redacted production stream every referenced file', async (t) => {
  const rolling = await productionArchive({ count: 20, bates: { prefix: 'R', digits: 6 }, production: { rolling: { count: 3 }, volumeSize: 10 } });
  for (const id of ['PRODUCTION_001', 'PRODUCTION_002', 'PRODUCTION_003']) checkSet(t, rolling.entries, id);
  const manifest = JSON.parse(rolling.entries.find((entry) => entry.name === 'PRODUCTION_003/_manifest.json')!.data.toString('utf8')) as ProductionManifest;
  t.same([manifest.batesRange.start, manifest.batesRange.end], ['R000041', 'R000060']);
  const redacted = await productionArchive({ count: 10, withText: true, bates: { prefix: 'X' }, production: { redacted: { withheldNativePolicy: 'replace-with-placeholder' } } });
  const { byName } = checkSet(t, redacted.entries, 'PRODUCTION_001');
  t.equal([...byName.keys()].filter((name) => name.startsWith('NATIVES/')).length, 0, 'withheld: no natives');
  t.equal([...byName.keys()].filter((name) => name.startsWith('PLACEHOLDER/')).length, 10, 'a placeholder each');
  t.equal([...byName.keys()].filter((name) => name.startsWith('REDACTED/TEXT/')).length, 10, 'redacted texts');
});

t.test('on the worker pool a production is byte for byte the one made on the calling thread', async (t) => {
  const pool = new GeneratorPool(2);
  t.teardown(() => pool.close());
  const parsed = archiveRequestSchema(limits, 'json').parse({
    seed: 11,
    count: 4_200, // several document batches and two row tasks (4,096 positions each) per set
    fileTypes: { pdf: 40, eml: 30, tiff: 20, docx: 10 },
    withFamilies: true,
    attachmentRate: 40,
    tiffPages: { min: 1, max: 4 },
    withText: true,
    bates: { prefix: 'PAR', start: 1, digits: 8 },
    production: { volumeSize: 400, rolling: { count: 2 }, redacted: { withheldNativePolicy: 'replace-with-placeholder' } },
  });
  const resolution = resolveRequest(parsed);
  if (!resolution.ok) throw new Error(resolution.errors[0]!.message);
  const collect = async (stream: NodeJS.ReadableStream) => {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  const here = await collect(createArchiveStream(resolution.plan, { entries: productionArchiveEntries(resolution.production!) }));
  let documents = 0;
  const pooled = await collect(createArchiveStream(resolution.plan, { pool, sections: productionSections(resolution.production!, pool), onDocument: () => documents++ }));
  t.equal(pooled.length, here.length);
  t.ok(pooled.equals(here), 'same bytes');
  t.equal(documents, 2 * 4_200, 'progress heard every position of both sets');
  const entries = await readZip(pooled);
  const report = JSON.parse(entries.find((entry) => entry.name === 'PRODUCTION_002/_validation_report.json')!.data.toString('utf8')) as ValidationReport;
  t.equal(report.status, 'passed');
  t.ok(report.checkedLoadFileRowCounts.dat > 4_200 + 1, 'the DAT rows include the attachments');
});

/** Streams a production (2 sets of 40) whose DAT gives set 2's third document `alter`ed records, collecting bytes and the error. */
async function alteredProduction(alter: (records: ProductionRecord[]) => ProductionRecord[]) {
  const parsed = archiveRequestSchema(limits, 'json').parse({ seed: 5, count: 40, bates: { prefix: 'ABC', digits: 8 }, production: { rolling: { count: 2 } } });
  const resolution = resolveRequest(parsed);
  if (!resolution.ok) throw new Error(resolution.errors[0]!.message);
  const restore = alterDatRecords(5, 2, 3, alter);
  try {
    const stream = createArchiveStream(resolution.plan, { entries: productionArchiveEntries(resolution.production!) });
    const chunks: Buffer[] = [];
    const error = await new Promise<unknown>((resolve) => {
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', resolve);
      stream.on('end', () => resolve(null));
    });
    return { error, bytes: Buffer.concat(chunks) };
  } finally {
    restore();
  }
}

t.test('a set whose load files disagree with its files fails its report: the stream errors, no end of central directory', async (t) => {
  const EOCD = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
  const cases: Array<[string, (records: ProductionRecord[]) => ProductionRecord[], RegExp]> = [
    // Its files are in the archive, its row is not: the rows, and the natives and texts the DAT names, fall one short.
    ['a DAT row lost', () => [], /PRODUCTION_002 failed its validation: 3 errors \(39 native files referenced, 40 written\)/],
    ['a DAT row repeated', (records) => [...records, ...records], /PRODUCTION_002 failed its validation: \d+ errors \(DOCID 'ABC00000043' repeats/],
  ];
  for (const [label, alter, message] of cases) {
    const { error, bytes } = await alteredProduction(alter);
    t.ok(error instanceof ProductionValidationError, `${label}: the stream errors with ProductionValidationError`);
    t.match((error as Error | null)?.message, message, `${label}: the error names the set and the finding`);
    t.equal(bytes.lastIndexOf(EOCD), -1, `${label}: no end-of-central-directory record`);
    await t.rejects(readZip(bytes), `${label}: yauzl does not read it as an archive`);
  }
  const untouched = await alteredProduction((records) => records);
  t.equal(untouched.error, null, 'unaltered: the stream ends');
  t.ok(untouched.bytes.lastIndexOf(EOCD) > 0, 'unaltered: with its end record');
  const entries = await readZip(untouched.bytes);
  for (const id of ['PRODUCTION_001', 'PRODUCTION_002']) checkSet(t, entries, id);
});
