import t from 'tap';
import { HARD_MAX_COUNT, defaultConfig } from '../../src/config.js';
import type { ResolvedRequest } from '../../src/generator/request.js';
import { archiveRequestSchema } from '../../src/schemas/archive-request.js';
import { ProductionPlan, productionIds, productionIdProblem, type ProductionRecord } from '../../src/generator/production/plan.js';
import { productionColumns, productionOptLines } from '../../src/generator/production/columns.js';
import { buildManifest, countFindings, emptyCounts, plannedCounts, sidecarJson, buildReport } from '../../src/generator/production/manifest.js';
import { checkSupplemental } from '../../src/generator/production/supplemental.js';
import { SetValidator } from '../../src/generator/production/validate.js';
import type { ProductionOptions } from '../../src/generator/production/types.js';
import type { RowContext } from '../../src/generator/loadfile/columns.js';

function request(fields: Record<string, unknown>, production: Partial<ProductionOptions> = {}): ResolvedRequest {
  const parsed = archiveRequestSchema({ ...defaultConfig.limits, maxCount: HARD_MAX_COUNT }, 'json').parse(fields);
  return { ...parsed, seed: (fields.seed as number | undefined) ?? 42, production: { volumeSize: 5000, ...production } };
}

/** 1,500 documents, 500 per volume: emails with attachments as documents (families) and multipage TIFFs. */
function familyPlan(production: Partial<ProductionOptions> = {}, extra: Record<string, unknown> = {}): ProductionPlan {
  return new ProductionPlan(
    request(
      {
        count: 1500,
        fileTypes: { eml: 1, tiff: 1, pdf: 1 },
        attachmentRate: 30,
        withFamilies: true,
        tiffPages: { min: 1, max: 4 },
        bates: { prefix: 'CLIENT', start: 1, digits: 8 },
        ...extra,
      },
      { volumeSize: 500, ...production },
    ),
  );
}

const size = () => 100;
function row(record: ProductionRecord): RowContext {
  return { doc: record.doc, size, bates: null, production: record };
}

t.test('a 1,500-document, 500-per-volume set with families and multipage TIFFs', async (t) => {
  const plan = familyPlan();
  t.equal(plan.sets.length, 1);
  const [set] = plan.sets;
  t.equal(set!.id, 'PRODUCTION_001');
  t.equal(set!.first, 'CLIENT00000001');
  t.equal(set!.last, 'CLIENT00001500');
  t.equal(plan.volumeCount, 3);

  const records = [...plan.setRecords(set!)];
  const parents = records.filter((r) => r.parentBates === null);
  const children = records.filter((r) => r.parentBates !== null);
  t.equal(parents.length, 1500);
  t.ok(children.length > 50, `${children.length} attachments are documents of their own`);
  // Bates contiguous and per document (not per page): parent n is CLIENT + n.
  parents.forEach((r, n) => {
    if (r.bates !== `CLIENT${String(n + 1).padStart(8, '0')}`) t.fail(`parent ${n + 1} is ${r.bates}`);
  });
  // Volumes by parent position; attachments in their parent's volume.
  t.same(
    [...new Set(parents.map((r) => r.volume))],
    ['VOL001', 'VOL002', 'VOL003'],
  );
  t.equal(parents[499]!.volume, 'VOL001');
  t.equal(parents[500]!.volume, 'VOL002');
  for (const child of children) {
    const parent = parents.find((p) => p.bates === child.parentBates)!;
    if (child.volume !== parent.volume || child.bates !== `${parent.bates}_A001` || child.familyEnd !== child.bates) t.fail(`child ${child.bates}`);
  }
  // Paths: Bates-named, per volume, relative to the set's folder.
  const first = parents[0]!;
  t.equal(first.textFile, 'TEXT/VOL001/CLIENT00000001.txt');
  t.equal(first.nativeFile, `NATIVES/VOL001/CLIENT00000001.${first.extension}`);
  t.equal(plan.entryName(set!, first.textFile), 'PRODUCTION_001/TEXT/VOL001/CLIENT00000001.txt');
  const name = plan.request.name;
  t.same(plan.loadFiles, { dat: `DATA/${name}.dat`, opt: `DATA/${name}.opt` });
  // Multipage TIFFs: one image per page, suffixed _001 …; one-page documents unsuffixed.
  const multipage = parents.find((r) => r.doc.pageCount > 2)!;
  t.ok(multipage, 'some TIFF has three or more pages');
  t.same(
    multipage.imageFiles,
    Array.from({ length: multipage.doc.pageCount }, (_, p) => `IMAGES/${multipage.volume}/${multipage.bates}_00${p + 1}.tif`),
  );
  const onePage = parents.find((r) => r.doc.pageCount === 1)!;
  t.same(onePage.imageFiles, [`IMAGES/${onePage.volume}/${onePage.bates}.tif`]);
  // Every path unique across the set.
  const paths = records.flatMap((r) => plan.entries(r).map((e) => e.path));
  t.equal(new Set(paths).size, paths.length, 'no two entries share a path');

  // DAT: Zipper's columns, backslashed paths, IMAGE_PATH the first page's file.
  const columns = productionColumns(plan);
  t.same(
    columns.map((c) => c.name),
    ['DOCID', 'BATES_NUMBER', 'VOLUME', 'NATIVE_PATH', 'TEXT_PATH', 'IMAGE_PATH', 'CUSTODIAN', 'DATE_CREATED', 'FILE_SIZE', 'FILE_TYPE',
      'Attachment', 'EmailSubject', 'EmailFrom', 'EmailTo', 'EmailCC', 'EmailSentDate', 'BEGATTACH', 'ENDATTACH', 'PARENTDOCID'],
  );
  const values = (r: ProductionRecord) => Object.fromEntries(columns.map((c) => [c.name, c.value(row(r))]));
  const m = values(multipage);
  t.equal(m.DOCID, multipage.bates);
  t.equal(m.BATES_NUMBER, multipage.bates);
  t.equal(m.IMAGE_PATH, `IMAGES\\${multipage.volume}\\${multipage.bates}_001.tif`);
  t.equal(m.TEXT_PATH, `TEXT\\${multipage.volume}\\${multipage.bates}.txt`);
  t.equal(m.FILE_TYPE, 'TIFF');
  t.equal(m.FILE_SIZE, '100');
  t.match(m.DATE_CREATED, /^20(23|24)-\d\d-\d\d$/);
  t.match(m.CUSTODIAN, /^Custodian ([1-9]|10)$/);
  const child = children[0]!;
  const c = values(child);
  const p = values(parents.find((r) => r.bates === child.parentBates)!);
  t.equal(c.PARENTDOCID, p.DOCID);
  t.equal(c.BEGATTACH, p.DOCID);
  t.equal(p.BEGATTACH, p.DOCID);
  t.equal(c.ENDATTACH, child.bates);
  t.equal(p.ENDATTACH, child.bates);
  t.equal(c.EmailSubject, '', 'email values on the email row only');
  t.not(p.EmailSubject, '');
  t.match(p.EmailSentDate, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  t.equal(c.FILE_TYPE, 'PDF');

  // OPT: per page, _001 keys, Y and the page count on the first line.
  const opt = productionOptLines(multipage).map((fields) => fields.join(','));
  t.equal(opt.length, multipage.doc.pageCount);
  t.equal(opt[0], `${multipage.bates}_001,${multipage.volume},IMAGES\\${multipage.volume}\\${multipage.bates}_001.tif,Y,,,${multipage.doc.pageCount}`);
  t.equal(opt[1], `${multipage.bates}_002,${multipage.volume},IMAGES\\${multipage.volume}\\${multipage.bates}_002.tif,,,,`);
  t.same(productionOptLines(onePage).map((fields) => fields.join(',')), [`${onePage.bates},${onePage.volume},IMAGES\\${onePage.volume}\\${onePage.bates}.tif,Y,,,1`]);
  // The OPT's cheap view of a position is the records' own: ids, volume, pages, and image paths the files have.
  const positions = Array.from({ length: plan.count }, (_, k) => k + 1);
  t.same(
    positions.flatMap((position) => plan.imagedRows(set!, position)),
    records.map((x) => ({ id: x.bates, volume: x.volume, pages: x.imageFiles.length })),
    'imagedRows of every position = its records',
  );
  t.same(
    productionOptLines(multipage).map((fields) => fields[2]),
    multipage.imageFiles.map((path) => path.replaceAll('/', '\\')),
    'OPT image paths are the image files',
  );

  // The validator passes what the plan writes, in order.
  const validator = new SetValidator(columns.map((c) => c.name), plan.loadFiles);
  const datChecker = validator.checker('dat');
  const optChecker = validator.checker('opt');
  let optLine = 0;
  for (const r of records) {
    datChecker.datRow(columns.map((col) => col.value(row(r))));
    for (const fields of productionOptLines(r)) {
      optChecker.optLine(fields);
      optLine++;
    }
  }
  validator.merge(datChecker.result());
  validator.merge(optChecker.result());
  const counts = plannedCounts(plan, set!);
  const report = validator.report(counts, countFindings(counts, counts, plan.loadFiles));
  t.equal(report.status, 'passed');
  t.equal(report.checkedLoadFileRowCounts.dat, records.length + 1);
  t.equal(report.checkedLoadFileRowCounts.opt, optLine);
});

t.test('the plan is pure and random access', async (t) => {
  const a = familyPlan();
  const b = familyPlan();
  const set = a.sets[0]!;
  t.same(a.records(set, 777), b.records(b.sets[0]!, 777));
  t.equal(a.records(set, 777)[0]!.bates, 'CLIENT00000777');
  t.equal(a.records(set, 1000)[0]!.volume, 'VOL002');
  t.equal(a.records(set, 1001)[0]!.volume, 'VOL003');
});

t.test('set ids: default, counting on from a trailing number, suffixes otherwise', async (t) => {
  t.same(productionIds(undefined, 3), ['PRODUCTION_001', 'PRODUCTION_002', 'PRODUCTION_003']);
  t.same(productionIds('PROD001', 3), ['PROD001', 'PROD002', 'PROD003']);
  t.same(productionIds('VOL_9', 2), ['VOL_9', 'VOL_10'], 'widens past its width');
  t.same(productionIds('ACME', 3), ['ACME', 'ACME_2', 'ACME_3']);
  t.same(productionIds('X99999999999999999999', 2), ['X99999999999999999999', 'X100000000000000000000'], 'exact past 2^53');
  t.equal(productionIdProblem('PROD-1_a'), null);
  t.ok(productionIdProblem('../etc'));
  t.ok(productionIdProblem(''));
});

t.test('rolling sets: continuous and restarting Bates', async (t) => {
  const fields = { count: 5, bates: { prefix: 'PROD', start: 1, digits: 8 } };
  const continuous = new ProductionPlan(request(fields, { id: 'PROD001', rolling: { count: 3, batesMode: 'continuous' } }));
  t.same(
    continuous.sets.map((s) => [s.sequence, s.id, s.first, s.last]),
    [
      [1, 'PROD001', 'PROD00000001', 'PROD00000005'],
      [2, 'PROD002', 'PROD00000006', 'PROD00000010'],
      [3, 'PROD003', 'PROD00000011', 'PROD00000015'],
    ],
  );
  t.equal(continuous.records(continuous.sets[2]!, 5)[0]!.bates, 'PROD00000015');
  t.equal(continuous.entryName(continuous.sets[1]!, continuous.records(continuous.sets[1]!, 1)[0]!.textFile), 'PROD002/TEXT/VOL001/PROD00000006.txt');
  // Sets hold different documents; set 1 is the single set of the same request.
  const single = new ProductionPlan(request(fields));
  t.same(continuous.records(continuous.sets[0]!, 3)[0]!.doc, single.records(single.sets[0]!, 3)[0]!.doc);
  t.not(continuous.records(continuous.sets[1]!, 3)[0]!.doc.index, continuous.records(continuous.sets[0]!, 3)[0]!.doc.index);

  const restart = new ProductionPlan(request(fields, { rolling: { count: 3, batesMode: 'restart' } }));
  t.same(restart.sets.map((s) => [s.id, s.first, s.last]), [
    ['PRODUCTION_001', 'PROD00000001', 'PROD00000005'],
    ['PRODUCTION_002', 'PROD00000001', 'PROD00000005'],
    ['PRODUCTION_003', 'PROD00000001', 'PROD00000005'],
  ]);
  const manifest = buildManifest(restart, restart.sets[1]!, plannedCounts(restart, restart.sets[1]!));
  t.equal(manifest.rollingSequenceNumber, 2);
  t.equal(manifest.batesRangeMode, 'restart');

  const overflow = new ProductionPlan(request({ count: 5, bates: { prefix: 'P', start: 95, digits: 2 } }, { rolling: { count: 2, batesMode: 'continuous' } }));
  t.match(overflow.batesOverflow(), /up to 99.*up to 104/);
  t.equal(continuous.batesOverflow(), null);
});

t.test('supplemental: duplicates, gaps, malformed priors', async (t) => {
  const prior = (start: string, end: string, prefix = 'PROD', digits = 8) => ({ productionId: 'P', batesRange: { start, end, prefix, digits } });
  const plan = (start: number, supplemental: ProductionOptions['supplemental'], rolling?: ProductionOptions['rolling']) =>
    new ProductionPlan(request({ count: 5, bates: { prefix: 'PROD', start, digits: 8 } }, { supplemental, rolling }));

  const clean = checkSupplemental(plan(6, { priorManifests: [prior('PROD00000001', 'PROD00000005')], gapPolicy: 'reject' }));
  t.same(clean.problems, []);
  t.same(clean.validation, { duplicateRanges: [], skippedRanges: [], expectedNextBates: 'PROD00000006', actualStartingBates: 'PROD00000006' });

  const overlap = checkSupplemental(plan(4, { priorManifests: [prior('PROD00000001', 'PROD00000005')], gapPolicy: 'reject' }));
  t.same(overlap.problems.map((p) => p.code), ['duplicate']);
  t.match(overlap.problems[0]!.message, "'PROD00000004-PROD00000005'");
  t.same(overlap.validation!.duplicateRanges, [{ start: 'PROD00000004', end: 'PROD00000005' }]);

  const gap = { priorManifests: [prior('PROD00000001', 'PROD00000005')], gapPolicy: 'reject' as const };
  const rejected = checkSupplemental(plan(9, gap));
  t.same(rejected.problems.map((p) => p.code), ['gap']);
  t.match(rejected.problems[0]!.message, "'PROD00000006-PROD00000008'");
  const allowed = checkSupplemental(plan(9, { ...gap, gapPolicy: 'allow' }));
  t.same(allowed.problems, []);
  t.same(allowed.validation!.skippedRanges, [{ start: 'PROD00000006', end: 'PROD00000008' }]);
  const allowedPlan = plan(9, { ...gap, gapPolicy: 'allow' });
  const manifest = buildManifest(allowedPlan, allowedPlan.sets[0]!, plannedCounts(allowedPlan, allowedPlan.sets[0]!), allowed.validation);
  t.same(manifest.supplementalValidation, allowed.validation);
  t.same(manifest.priorManifests, gap.priorManifests);

  // Rolling sets in restart mode duplicate each other.
  const restart = checkSupplemental(plan(6, { priorManifests: [prior('PROD00000001', 'PROD00000005')], gapPolicy: 'reject' }, { count: 2, batesMode: 'restart' }));
  t.same(restart.problems.map((p) => p.code), ['duplicate']);

  const bad = checkSupplemental(
    plan(6, {
      priorManifests: [null, { batesRange: { start: 'PROD00000001' } }, prior('X00000001', 'X00000005', 'X'), prior('PROD001', 'PROD005', 'PROD', 3), prior('PRODabc', 'PROD00000005'), prior('PROD00000005', 'PROD00000001')],
      gapPolicy: 'reject',
    }),
  );
  t.same(bad.problems.map((p) => [p.code, p.manifest]), [
    ['malformed', 0],
    ['malformed', 1],
    ['incompatible-prefix', 2],
    ['incompatible-digits', 3],
    ['unparseable', 4],
    ['invalid-range', 5],
  ]);
  t.equal(bad.validation, null);
});

t.test('manifest: Zipper property order, optional keys only when they apply', async (t) => {
  const plain = new ProductionPlan(request({ count: 1500, bates: { prefix: 'CLIENT', start: 1, digits: 8 } }, { volumeSize: 500 }));
  const manifest = buildManifest(plain, plain.sets[0]!, plannedCounts(plain, plain.sets[0]!));
  t.same(Object.keys(manifest), [
    'productionDate', 'productionId', 'rollingSequenceNumber', 'batesNumberStart', 'batesNumberEnd', 'batesRangeMode', 'batesRange',
    'nativeFileCount', 'fileType', 'volumeCount', 'volumeSize', 'directories', 'loadFiles', 'settings', 'validationReport', 'generationTime',
  ]);
  t.same(manifest.batesRange, { start: 'CLIENT00000001', end: 'CLIENT00001500', prefix: 'CLIENT', digits: 8 });
  t.equal(manifest.productionDate, '2025-01-01T00:00:00Z');
  t.equal(manifest.generationTime, '0.0s');
  t.equal(manifest.nativeFileCount, 1500);
  t.equal(manifest.fileType, 'pdf');
  t.equal(manifest.volumeCount, 3);
  t.same(manifest.directories, { data: 'DATA', natives: 'NATIVES', text: 'TEXT', images: 'IMAGES' });
  t.same(manifest.settings, { encoding: 'UTF-8', columnDelimiter: 'ascii:20', quoteDelimiter: 'char:þ', seed: 42 });
  t.match(sidecarJson(manifest), '"quoteDelimiter": "char:\\u00FE"');
  t.same(JSON.parse(sidecarJson(manifest)), manifest);

  const families = familyPlan({ redacted: { withheldNativePolicy: 'keep-native' } });
  const counts = plannedCounts(families, families.sets[0]!);
  const full = buildManifest(families, families.sets[0]!, counts);
  t.same(Object.keys(full), [
    'productionDate', 'productionId', 'rollingSequenceNumber', 'batesNumberStart', 'batesNumberEnd', 'batesRangeMode', 'batesRange',
    'nativeFileCount', 'parentNativeFileCount', 'attachmentNativeFileCount', 'fileType', 'volumeCount', 'volumeSize', 'directories',
    'loadFiles', 'settings', 'validationReport', 'generationTime', 'redactedFileCount', 'redactionReasons',
  ]);
  t.equal(full.parentNativeFileCount, 1500);
  t.equal(full.nativeFileCount, 1500 + full.attachmentNativeFileCount!);
  t.equal(full.fileType, 'pdf,tiff,eml');
  t.equal(full.redactedFileCount, counts.rows);
  t.same(Object.keys(full.redactionReasons!), ['Privileged', 'Attorney Work Product', 'Settlement Communication', 'Trade Secret', 'Personal Privacy']);
  t.equal(Object.values(full.redactionReasons!).reduce((a, b) => a + b, 0), counts.rows);
  t.equal(full.directories.redacted, 'REDACTED');
});

t.test('redaction policies: paths, withheld natives, placeholders', async (t) => {
  const policies = ['keep-native', 'omit-native-path', 'replace-with-placeholder'] as const;
  const results = policies.map((policy) => {
    const plan = familyPlan({ redacted: { withheldNativePolicy: policy } }, { withText: true });
    const columns = productionColumns(plan);
    const record = plan.records(plan.sets[0]!, 1)[0]!;
    const values = Object.fromEntries(columns.map((c) => [c.name, c.value(row(record))]));
    return { plan, columns, record, values };
  });
  const [keep, omit, replace] = results as [typeof results[0], typeof results[0], typeof results[0]];
  t.same(keep.columns.map((c) => c.name).slice(10, 14), ['REDACTED_IMAGE_PATH', 'REDACTED_TEXT_PATH', 'NATIVE_WITHHELD', 'REDACTION_REASON']);
  t.equal(keep.values.NATIVE_WITHHELD, 'NO');
  t.equal(keep.values.REDACTION_REASON, 'Privileged');
  t.equal(keep.values.NATIVE_PATH, `NATIVES\\VOL001\\CLIENT00000001.${keep.record.extension}`);
  t.match(keep.values.REDACTED_IMAGE_PATH, /^REDACTED\\IMAGES\\VOL001\\CLIENT00000001\.tif$/);
  t.equal(keep.values.REDACTED_TEXT_PATH, 'REDACTED\\TEXT\\VOL001\\CLIENT00000001.txt');
  t.equal(omit.values.NATIVE_PATH, '');
  t.equal(omit.values.NATIVE_WITHHELD, 'YES');
  t.equal(omit.record.nativeFile, null, 'a withheld native is not written');
  t.equal(replace.values.NATIVE_PATH, `PLACEHOLDER\\VOL001\\CLIENT00000001.${replace.record.extension}`);
  t.same(replace.plan.entries(replace.record).map((e) => e.kind).slice(0, 1), ['placeholder']);
  t.equal(replace.plan.records(replace.plan.sets[0]!, 2)[0]!.redactionReason, 'Attorney Work Product');
  const counts = plannedCounts(omit.plan, omit.plan.sets[0]!);
  const manifest = buildManifest(omit.plan, omit.plan.sets[0]!, counts);
  t.equal(manifest.nativeFileCount, 0);
  t.equal(manifest.withheldNativeFileCount, counts.rows);
});

t.test('validation report: shape, order, failures from written counts and lines', async (t) => {
  const plan = familyPlan();
  const set = plan.sets[0]!;
  const expected = plannedCounts(plan, set);
  const written = plannedCounts(plan, set);
  written.files.image -= 2;
  const passed = buildReport(expected, []);
  t.same(Object.keys(passed), ['status', 'errorCount', 'warningCount', 'checkedFileCounts', 'checkedLoadFileRowCounts', 'findings']);
  t.same(Object.keys(passed.checkedFileCounts), ['dat', 'opt', 'native', 'text', 'image']);
  t.same(Object.keys(passed.checkedLoadFileRowCounts), ['dat', 'opt']);
  t.equal(passed.status, 'passed');
  const failed = buildReport(written, countFindings(expected, written, plan.loadFiles));
  t.equal(failed.status, 'failed');
  t.equal(failed.errorCount, 1);
  t.same(Object.keys(failed.findings[0]!), ['code', 'severity', 'path', 'line', 'message']);
  t.equal(failed.findings[0]!.code, 'PathExistence');

  // Two DAT ranges (as two workers would check them), merged in order: lines numbered in the file, id order checked across the boundary.
  const validator = new SetValidator(['DOCID', 'PARENTDOCID', 'NATIVE_WITHHELD'], plan.loadFiles);
  const first = validator.checker('dat');
  first.datRow(['A1', '', 'NO']); // line 2
  first.datRow(['A1', '', 'NO']); // line 3: repeated id
  const second = validator.checker('dat');
  second.datRow(['A0_A001', 'A0', 'NO']); // line 4: out of order after A1 (across the boundary); its parent is not before it in its range
  second.datRow(['A3', '', 'MAYBE']); // line 5
  second.datRow(['A4']); // line 6
  const opt = validator.checker('opt');
  opt.optLine(['A1', 'VOL001', 'IMAGES\\VOL001\\A1.tif', 'Y', '', '']);
  validator.merge(first.result());
  validator.merge(second.result());
  validator.merge(opt.result());
  const report = validator.report(emptyCounts());
  t.same(report.findings.map((f) => [f.code, f.line]), [
    ['UniqueId', 3],
    ['UniqueId', 4],
    ['BatesConsistency', 4],
    ['InvalidValue', 5],
    ['ColumnCount', 6],
    ['OptBoundary', 1],
  ]);
  t.equal(report.errorCount, 6);
  t.equal(report.findings[4]!.message, 'Expected 3 columns, got 1 on line 6');
  t.equal(report.findings[5]!.message, 'OPT line 1 has 6 columns, expected 7');
});
