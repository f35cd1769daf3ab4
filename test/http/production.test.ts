import t, { type Test } from 'tap';
import { startServer, send, postArchive } from '../helpers/server.js';
import { readZip } from '../helpers/zip.js';
import { checkSet } from '../helpers/production.js';
import type { ProductionManifest, ValidationReport } from '../../src/generator/production/manifest.js';
import type { PlanSummary } from '../../src/generator/plan-summary.js';
import type { ProductionSetSummary } from '../../src/generator/production/summary.js';

const server = await startServer({ ZIPPER_MAX_COUNT: '200000' });
t.teardown(() => server.close());

interface ProblemBody {
  status: number;
  detail: string;
  errors: Array<{ field: string; message: string }>;
}

const BATES = { prefix: 'ABC', start: 1, digits: 8 };
/** Emails with attachments as documents of their own, and multipage TIFFs. */
const MIXED = { fileTypes: { pdf: 50, eml: 30, tiff: 20 }, withFamilies: true, attachmentRate: 50, tiffPages: { min: 1, max: 4 } };

function prior(start: string, end: string, prefix = 'ABC', digits = 8) {
  return { productionId: 'PRIOR', batesRange: { start, end, prefix, digits } };
}

async function expectFields(t: Test, path: string, body: unknown, fields: string[], label: string): Promise<ProblemBody> {
  const res = await send(server.origin, 'POST', path, body);
  t.equal(res.status, 400, `${label}: 400`);
  const problem = JSON.parse(res.body.toString('utf8')) as ProblemBody;
  t.same([...new Set(problem.errors.map((error) => error.field))].sort(), [...fields].sort(), `${label}: names ${fields.join(', ')}`);
  for (const field of fields) t.match(problem.detail, field, `${label}: detail mentions ${field}`);
  return problem;
}

t.test('production: fields it needs, fields it refuses, bad options (400 before the first byte)', async (t) => {
  const plan = '/archives/plan';
  await expectFields(t, plan, { count: 10, production: {} }, ['bates.prefix'], 'no bates');
  await expectFields(t, plan, { count: 10, bates: { start: 5 }, production: {} }, ['bates.prefix'], 'bates without prefix');
  await expectFields(t, plan, { count: 10, bates: BATES, columnProfile: 'minimal', production: {} }, ['columnProfile'], 'columnProfile');
  await expectFields(t, plan, { count: 10, bates: BATES, chaos: { amount: 1 }, production: {} }, ['chaos'], 'chaos');
  await expectFields(t, plan, { count: 10, bates: BATES, targetSize: '10MB', production: {} }, ['targetSize'], 'targetSize');
  await expectFields(t, plan, { count: 10, bates: BATES, production: { id: 'a b' } }, ['production.id'], 'id with a space');
  await expectFields(t, plan, { count: 10, bates: BATES, production: { id: '../x' } }, ['production.id'], 'id with a path');
  const derived = await expectFields(t, plan, { count: 10, bates: BATES, production: { id: `${'A'.repeat(98)}99`, rolling: { count: 2 } } }, ['production.id'], 'derived id too long');
  t.match(derived.detail, /rolling set id/);
  await expectFields(t, plan, { count: 10, bates: BATES, production: { volumeSize: 0 } }, ['production.volumeSize'], 'volumeSize 0');
  await expectFields(t, plan, { count: 10, bates: BATES, production: { rolling: { count: 0 } } }, ['production.rolling.count'], 'rolling count 0');
  await expectFields(t, plan, { count: 150_000, bates: BATES, production: { rolling: { count: 2 } } }, ['production.rolling.count'], 'sets over ZIPPER_MAX_COUNT');
  await expectFields(t, plan, { count: 10, bates: BATES, production: { rolling: { batesMode: 'skip' } } }, ['production.rolling.batesMode'], 'bad batesMode');
  await expectFields(t, plan, { count: 10, bates: BATES, production: { redacted: { withheldNativePolicy: 'burn' } } }, ['production.redacted.withheldNativePolicy'], 'bad policy');
  await expectFields(t, plan, { count: 10, bates: BATES, production: { supplemental: { priorManifests: [] } } }, ['production.supplemental.priorManifests'], 'no priors');
  await expectFields(t, plan, { count: 10, bates: BATES, production: { colour: 'red' } }, ['production.colour'], 'unknown production key');
});

t.test('production: Bates overflow and supplemental ranges are 400s naming the field', async (t) => {
  const plan = '/archives/plan';
  const overflow = await expectFields(t, plan, { count: 100, bates: { prefix: 'ABC', digits: 2 }, production: {} }, ['bates.digits'], 'overflow');
  t.match(overflow.detail, /up to 99/);
  // Per document, not per page: 99 multipage TIFFs fit 2 digits.
  const fits = await send(server.origin, 'POST', plan, { count: 99, fileType: 'tiff', tiffPages: { min: 3, max: 3 }, bates: { prefix: 'ABC', digits: 2 }, production: {}, seed: 1 });
  t.equal(fits.status, 200, 'production Bates count documents, not pages');
  const rollingOverflow = await expectFields(t, plan, { count: 60, bates: { prefix: 'ABC', digits: 2 }, production: { rolling: { count: 2 } } }, ['bates.digits'], 'continuous sets overflow');
  t.match(rollingOverflow.detail, /up to 120/);
  const restart = await send(server.origin, 'POST', plan, { count: 60, bates: { prefix: 'ABC', digits: 2 }, production: { rolling: { count: 2, batesMode: 'restart' } }, seed: 1 });
  t.equal(restart.status, 200, 'restart sets fit');

  const priors = [prior('ABC00000001', 'ABC00000010')];
  const overlap = await expectFields(t, plan, { count: 10, bates: { ...BATES, start: 5 }, production: { supplemental: { priorManifests: priors } } }, ['production.supplemental.priorManifests'], 'overlap');
  t.match(overlap.detail, /Duplicate Bates numbers in ranges: 'ABC00000005-ABC00000010'/);
  const gap = await expectFields(t, plan, { count: 10, bates: { ...BATES, start: 20 }, production: { supplemental: { priorManifests: priors } } }, ['production.supplemental.priorManifests'], 'gap');
  t.match(gap.detail, /Skipped Bates numbers in ranges: 'ABC00000011-ABC00000019'/);
  const allowed = await send(server.origin, 'POST', plan, { count: 10, bates: { ...BATES, start: 20 }, production: { supplemental: { priorManifests: priors, gapPolicy: 'allow' } }, seed: 1 });
  t.equal(allowed.status, 200, 'gapPolicy allow: planned');
  const next = await send(server.origin, 'POST', plan, { count: 10, bates: { ...BATES, start: 11 }, production: { supplemental: { priorManifests: priors } }, seed: 1 });
  t.equal(next.status, 200, 'the next number: planned');
  const malformed = await expectFields(
    t,
    plan,
    { count: 10, bates: { ...BATES, start: 11 }, production: { supplemental: { priorManifests: [priors[0], {}, prior('XYZ00000001', 'XYZ00000002', 'XYZ')] } } },
    ['production.supplemental.priorManifests.1', 'production.supplemental.priorManifests.2'],
    'malformed and foreign priors',
  );
  t.match(malformed.detail, /priorManifests\[1\] has no batesRange/);
  t.match(malformed.detail, /Bates prefix 'XYZ'/);
});

t.test('production: the query string follows the same rules', async (t) => {
  const query = await send(server.origin, 'GET', `/archives?count=10&bates=${encodeURIComponent(JSON.stringify(BATES))}&production=${encodeURIComponent('{"id":"a b"}')}`);
  t.equal(query.status, 400);
  t.same((JSON.parse(query.body.toString('utf8')) as ProblemBody).errors.map((error) => error.field), ['production.id'], 'query string: the same rules');
});

t.test('production: fields it would ignore are refused, all in one 400; their defaults are not', async (t) => {
  const plan = '/archives/plan';
  const ignored = {
    folders: 3,
    distribution: 'gaussian',
    includeLoadFile: false,
    loadFileFormats: ['dat', 'opt', 'csv', 'edrm-xml'],
    hashMode: 'actual',
    hashAlgorithms: ['md5'],
    withMetadata: true,
    withCollectionMetadata: true,
    dateFormat: 'dd/MM/yyyy',
    withAudit: true,
  };
  const all = await expectFields(t, plan, { count: 10, bates: BATES, production: {}, ...ignored }, Object.keys(ignored), 'every ignored field');
  t.equal(all.errors.length, Object.keys(ignored).length, 'one error per field');
  t.match(all.errors.find((error) => error.field === 'loadFileFormats')!.message, /production sets write DAT and OPT load files: csv, edrm-xml/);
  t.match(all.errors.find((error) => error.field === 'includeLoadFile')!.message, /writes its DAT and OPT/);
  // With the fields production itself refuses, and a bad production option: still one answer.
  await expectFields(
    t,
    plan,
    { count: 10, bates: BATES, production: { volumeSize: 0 }, folders: 2, withAudit: true, chaos: { amount: 1 }, targetSize: '1MB' },
    ['production.volumeSize', 'folders', 'withAudit', 'chaos', 'targetSize'],
    'with production\'s own refusals',
  );
  await expectFields(t, plan, { count: 10, bates: BATES, production: {}, loadFileFormat: 'concordance' }, ['loadFileFormat'], 'loadFileFormat');
  // hashAlgorithms without a hashMode is refused as it is without production: once.
  const hashes = await expectFields(t, plan, { count: 10, bates: BATES, production: {}, hashAlgorithms: ['md5'] }, ['hashAlgorithms'], 'hashAlgorithms alone');
  t.equal(hashes.errors.length, 1, 'named once');
  const query = await send(server.origin, 'GET', `/archives?${new URLSearchParams({ count: '10', bates: JSON.stringify(BATES), production: '{}', folders: '2', includeLoadFile: 'false', hashMode: 'simulated' }).toString()}`);
  t.equal(query.status, 400, 'query string: 400');
  t.same((JSON.parse(query.body.toString('utf8')) as ProblemBody).errors.map((error) => error.field).sort(), ['folders', 'hashMode', 'includeLoadFile'], 'query string: each named');

  // Spelled-out defaults are the same request as leaving them out; dat and opt are what a set holds
  // (an OPT of emails too: a production images every document).
  const defaults = { folders: 1, distribution: 'proportional', includeLoadFile: true, loadFileFormats: ['dat', 'opt'], hashMode: 'none', withMetadata: false, withCollectionMetadata: false, withAudit: false };
  const spelled = await send(server.origin, 'POST', plan, { count: 10, fileType: 'eml', bates: BATES, production: {}, seed: 1, ...defaults });
  t.equal(spelled.status, 200, `defaults spelled out: 200 (${spelled.body.toString('utf8').slice(0, 300)})`);
  const kept = { delimiters: { column: 'char:|' }, datDelimiters: 'csv', eol: 'LF', encoding: 'UTF-16', compression: 'store', withText: true, custodianCount: 3 };
  const applied = await send(server.origin, 'POST', plan, { count: 10, bates: BATES, production: {}, seed: 1, ...kept });
  t.equal(applied.status, 200, `fields a production honours: 200 (${applied.body.toString('utf8').slice(0, 300)})`);
});

/** An archive's entries by name. */
async function archiveEntries(t: Test, body: Record<string, unknown>) {
  const res = await postArchive(server.origin, body);
  t.equal(res.status, 200, 'archive: 200');
  return new Map((await readZip(res.body)).map((entry) => [entry.name, entry.data]));
}

t.test('POST /loadfiles with production: a set\'s DAT or OPT, byte for byte the archive\'s', async (t) => {
  const single = { count: 300, bates: BATES, production: { volumeSize: 100, redacted: {} }, ...MIXED, withText: true, seed: 11 };
  const entries = await archiveEntries(t, single);
  const dat = await send(server.origin, 'POST', '/loadfiles', single);
  t.equal(dat.status, 200);
  t.ok(dat.body.equals(entries.get('PRODUCTION_001/DATA/archive.dat')!), 'DAT (the default) = the archive\'s entry');
  t.equal(dat.headers['content-disposition'], 'attachment; filename="archive.dat"');
  t.equal(dat.headers['content-type'], 'text/plain; charset=utf-8');
  t.equal(dat.headers['x-zipper-production-set'], 'PRODUCTION_001');
  t.equal(dat.headers['x-zipper-seed'], '11');
  t.equal(dat.headers['x-zipper-anomalies'], '0');
  const opt = await send(server.origin, 'POST', '/loadfiles?loadFile=opt&set=1', single);
  t.equal(opt.status, 200);
  t.ok(opt.body.equals(entries.get('PRODUCTION_001/DATA/archive.opt')!), 'OPT = the archive\'s entry');
  t.equal(opt.headers['content-disposition'], 'attachment; filename="archive.opt"');

  // Set 2 of a rolling production, in another dialect and encoding (UTF-16: both files start with the BOM).
  const rolling = {
    count: 120,
    name: 'prod',
    bates: BATES,
    production: { id: 'VOL_A009', rolling: { count: 3 } },
    ...MIXED,
    encoding: 'UTF-16',
    eol: 'LF',
    delimiters: { column: 'char:|' },
    loadFileFormats: ['dat', 'opt'],
    seed: 12,
  };
  const rollingEntries = await archiveEntries(t, rolling);
  for (const format of ['dat', 'opt'] as const) {
    const res = await send(server.origin, 'POST', `/loadfiles?loadFile=${format}&set=2`, rolling);
    t.equal(res.status, 200, `set 2 ${format}: 200`);
    const entry = rollingEntries.get(`VOL_A010/DATA/prod.${format}`)!;
    t.ok(res.body.equals(entry), `set 2 ${format} = the archive's VOL_A010/DATA/prod.${format}`);
    t.ok(entry.subarray(0, 2).equals(Buffer.from([0xff, 0xfe])), `UTF-16 ${format}: byte-order mark`);
    t.equal(res.headers['content-disposition'], `attachment; filename="prod.${format}"`);
    t.equal(res.headers['content-type'], 'text/plain; charset=utf-16le');
    t.equal(res.headers['x-zipper-production-set'], 'VOL_A010');
  }
  const first = await send(server.origin, 'POST', '/loadfiles?loadFile=dat', rolling);
  t.ok(first.body.equals(rollingEntries.get('VOL_A009/DATA/prod.dat')!), 'no set: set 1');
  t.notOk(first.body.equals(rollingEntries.get('VOL_A010/DATA/prod.dat')!), 'sets differ');
});

t.test('POST /loadfiles with production: bad set or load file, 400 naming each', async (t) => {
  const rolling = { count: 10, bates: BATES, production: { rolling: { count: 3 } }, seed: 1 };
  const over = await expectFields(t, '/loadfiles?set=4', rolling, ['set'], 'set past the last');
  t.match(over.detail, /3 sets: give 1 … 3/);
  await expectFields(t, '/loadfiles?set=2', { ...rolling, production: {} }, ['set'], 'set 2 of one set');
  await expectFields(t, '/loadfiles?set=0', rolling, ['set'], 'set 0');
  await expectFields(t, '/loadfiles?set=two', rolling, ['set'], 'set not a number');
  const both = await expectFields(t, '/loadfiles?set=9&loadFile=csv', rolling, ['set', 'loadFile'], 'set and load file');
  t.match(both.detail, /dat and opt: csv is not one/);
  const ambiguous = await expectFields(t, '/loadfiles', { ...rolling, loadFileFormats: ['dat', 'opt'] }, ['loadFile'], 'two requested, none named');
  t.match(ambiguous.detail, /\?loadFile=dat/);
  const plain = await expectFields(t, '/loadfiles?set=1', { count: 10, seed: 1 }, ['set'], 'set without production');
  t.match(plain.detail, /no production/);
});

t.test('POST /archives with production: the issue\'s 1,500-document set, read back', async (t) => {
  const body = { count: 1500, bates: BATES, production: { volumeSize: 500 }, ...MIXED, seed: 3 };
  const plan = await planOf(t, body);
  const res = await postArchive(server.origin, body);
  t.equal(res.status, 200);
  t.equal(res.headers['content-type'], 'application/zip');
  const entries = await readZip(res.body);
  t.equal(entries.length, plan.entries, 'as many entries as the plan says');
  const { dat, opt, byName } = checkSet(t, entries, 'PRODUCTION_001');
  t.same([...new Set([...byName.keys()].filter((name) => /^(NATIVES|IMAGES|TEXT)\//.test(name)).map((name) => name.split('/')[1]))].sort(), ['VOL001', 'VOL002', 'VOL003']);
  const set = plan.production!.sets[0]!;
  t.equal(dat.rows.length, set.rows, 'DAT rows as planned');
  t.equal(opt.length, set.optLines, 'OPT lines as planned');
  const manifest = JSON.parse(byName.get('_manifest.json')!.data.toString('utf8')) as ProductionManifest;
  t.same(manifest.batesRange, set.batesRange, 'manifest range = the plan\'s');
  t.equal(manifest.nativeFileCount, set.files!.native);
  const report = JSON.parse(byName.get('_validation_report.json')!.data.toString('utf8')) as ValidationReport;
  t.equal(report.status, 'passed');
  t.same(report.checkedLoadFileRowCounts, { dat: set.rows! + 1, opt: set.optLines });
  const again = await send(server.origin, 'GET', `/archives?${new URLSearchParams({ count: '1500', seed: '3', bates: JSON.stringify(BATES), production: JSON.stringify({ volumeSize: 500 }), fileTypes: JSON.stringify(MIXED.fileTypes), withFamilies: 'true', attachmentRate: '50', tiffPages: JSON.stringify(MIXED.tiffPages) }).toString()}`);
  t.equal(again.status, 200);
  t.ok(again.body.equals(res.body), 'GET with the same fields: the same bytes');
});

async function planOf(t: Test, body: Record<string, unknown>): Promise<PlanSummary> {
  const res = await send(server.origin, 'POST', '/archives/plan', { seed: 7, ...body });
  t.equal(res.status, 200, `plan: 200 (${res.body.toString('utf8').slice(0, 200)})`);
  return JSON.parse(res.body.toString('utf8')) as PlanSummary;
}

/** Every set's counts agree with one another: one native per row (keep-native), an image per OPT line, a text per row. */
function checkSetCounts(t: Test, set: ProductionSetSummary, label: string) {
  t.ok(set.files && set.rows !== null && set.optLines !== null, `${label}: counted`);
  const files = set.files!;
  t.equal(files.text, set.rows, `${label}: a text per row`);
  t.equal(files.image, set.optLines, `${label}: an image per OPT line`);
  t.equal(set.entries, Object.values(files).reduce((sum, n) => sum + n, 0) + 4, `${label}: entries = files + DAT, OPT, manifest, report`);
}

t.test('POST /archives/plan with production: sets, volumes, Bates ranges, load files, counts', async (t) => {
  // The set: 1,500 documents in volumes of 500, with families and multipage TIFFs.
  const body = { count: 1500, bates: BATES, production: { volumeSize: 500 }, ...MIXED };
  const plan = await planOf(t, body);
  const production = plan.production!;
  t.ok(production, 'a production summary');
  t.same(plan.folders, [], 'no root folders');
  t.same(plan.loadFiles, [], 'no root load files');
  t.equal(production.sets.length, 1);
  const set = production.sets[0]!;
  t.equal(set.id, 'PRODUCTION_001');
  t.same(set.batesRange, { start: 'ABC00000001', end: 'ABC00001500', prefix: 'ABC', digits: 8 });
  t.same(set.volumes, [{ name: 'VOL001', documents: 500 }, { name: 'VOL002', documents: 500 }, { name: 'VOL003', documents: 500 }]);
  checkSetCounts(t, set, 'one set');
  t.equal(set.rows, plan.documents, 'a row per document, attachments included');
  t.equal(set.rows! - 1500, plan.attachments, 'attachment rows');
  t.ok(plan.attachments > 0, 'families present');
  t.equal(set.files!.native, set.rows, 'keep-native: a native per row');
  t.ok(set.optLines! > set.rows!, 'multipage TIFFs: more OPT lines than rows');
  t.equal(plan.entries, set.entries, 'archive entries = the set folder\'s');
  t.equal(production.entries, set.entries);
  t.same(production.loadFiles.dat, 'DATA/archive.dat');
  t.same(production.loadFiles.opt, 'DATA/archive.opt');
  t.ok(production.loadFiles.columns.includes('BATES_NUMBER') && production.loadFiles.columns.includes('PARENTDOCID'), 'DAT columns');
  t.equal(production.supplemental, null);
  t.equal(production.withheldNativePolicy, null);

  const again = await planOf(t, body);
  t.same(again, plan, 'same seed, same plan');
});

t.test('plan: rolling sets in both Bates modes', async (t) => {
  const continuous = (await planOf(t, { count: 100, bates: BATES, production: { id: 'VOL_A009', rolling: { count: 3 } } })).production!;
  t.same(continuous.sets.map((set) => set.id), ['VOL_A009', 'VOL_A010', 'VOL_A011'], 'ids count on');
  t.same(continuous.sets.map((set) => [set.batesRange.start, set.batesRange.end]), [['ABC00000001', 'ABC00000100'], ['ABC00000101', 'ABC00000200'], ['ABC00000201', 'ABC00000300']]);
  t.equal(continuous.entries, continuous.sets.reduce((sum, set) => sum + set.entries!, 0));
  const restart = (await planOf(t, { count: 100, bates: BATES, production: { rolling: { count: 3, batesMode: 'restart' } } })).production!;
  t.same(restart.sets.map((set) => set.id), ['PRODUCTION_001', 'PRODUCTION_002', 'PRODUCTION_003']);
  t.same(restart.sets.map((set) => set.batesRange.start), ['ABC00000001', 'ABC00000001', 'ABC00000001'], 'restart: every set from bates.start');
  t.equal(restart.batesMode, 'restart');
});

t.test('plan: redaction policies and supplemental', async (t) => {
  const keep = (await planOf(t, { count: 50, withText: true, bates: BATES, production: { redacted: {} } })).production!;
  const keepSet = keep.sets[0]!;
  checkSetCounts(t, keepSet, 'keep-native');
  t.equal(keep.withheldNativePolicy, 'keep-native');
  t.equal(keepSet.files!.native, 50);
  t.equal(keepSet.files!['redacted-image'], keepSet.rows, 'one redacted (multipage) image per row');
  t.equal(keepSet.files!['redacted-text'], 50, 'withText: redacted text');
  const omit = (await planOf(t, { count: 50, bates: BATES, production: { redacted: { withheldNativePolicy: 'omit-native-path' } } })).production!.sets[0]!;
  t.equal(omit.files!.native + omit.files!.placeholder, 0, 'omitted: no native, no placeholder');
  t.equal(omit.files!['redacted-text'], 0, 'no withText: no redacted text');
  const placeholder = (await planOf(t, { count: 50, bates: BATES, production: { redacted: { withheldNativePolicy: 'replace-with-placeholder' } } })).production!.sets[0]!;
  t.same([placeholder.files!.native, placeholder.files!.placeholder], [0, 50], 'a placeholder per withheld native');

  const priors = [prior('ABC00000001', 'ABC00000010')];
  const gap = (await planOf(t, { count: 10, bates: { ...BATES, start: 20 }, production: { supplemental: { priorManifests: priors, gapPolicy: 'allow' } } })).production!;
  t.same(gap.supplemental, { duplicateRanges: [], skippedRanges: [{ start: 'ABC00000011', end: 'ABC00000019' }], expectedNextBates: 'ABC00000011', actualStartingBates: 'ABC00000020' });
});

t.test('plan: a production over the counting limit is planned without walking it', async (t) => {
  const plan = await planOf(t, { count: 60_000, bates: BATES, production: { rolling: { count: 2 } } });
  const production = plan.production!;
  t.equal(plan.entries, null, 'entries not counted');
  t.equal(production.entries, null);
  t.same(production.sets.map((set) => [set.rows, set.files, set.entries]), [[null, null, null], [null, null, null]]);
  t.equal(production.sets[1]!.batesRange.end, 'ABC00120000', 'ranges still exact');
  t.equal(production.sets[0]!.volumes.length, 12, 'volumes of 5000');
  t.equal(plan.documents, 120_000);
});
