import t, { type Test } from 'tap';
import iconv from 'iconv-lite';
import { startServer, postArchive, send } from '../helpers/server.js';
import { readZip } from '../helpers/zip.js';
import type { ComparisonReport } from '../../src/generator/production/compare/compare.js';

const server = await startServer();
t.teardown(() => server.close());

interface ProblemBody {
  status: number;
  detail: string;
  errors: Array<{ field: string; message: string }>;
}

interface Production {
  manifest: Buffer;
  dat: Buffer;
}

/** A production set made by this service: its _manifest.json and its DAT (the manifest's loadFiles.dat). */
async function production(body: Record<string, unknown>): Promise<Production> {
  const res = await postArchive(server.origin, body);
  if (res.status !== 200) throw new Error(`archive: ${res.status} ${res.body.toString('utf8')}`);
  const entries = await readZip(res.body);
  const id = (body.production as { id: string }).id;
  const manifest = entries.find((entry) => entry.name === `${id}/_manifest.json`)!.data;
  const datPath = (JSON.parse(manifest.toString('utf8')) as { loadFiles: { dat: string } }).loadFiles.dat;
  return { manifest, dat: entries.find((entry) => entry.name === `${id}/${datPath}`)!.data };
}

type Part = [name: string, value: string | Buffer, filename?: string];

/** A multipart request with the parts in this order (files for Buffers, fields for strings). */
async function compare(parts: Part[], headers: Record<string, string> = {}, origin = server.origin) {
  const form = new FormData();
  for (const [name, value, filename] of parts) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, new Blob([new Uint8Array(value)]), filename ?? (name === 'manifest' ? '_manifest.json' : 'archive.dat'));
  }
  const res = await fetch(`${origin}/productions/compare`, { method: 'POST', body: form, headers });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

function productionParts(...productions: Production[]): Part[] {
  return productions.flatMap((p): Part[] => [
    ['manifest', p.manifest],
    ['dat', p.dat],
  ]);
}

const BATES = { prefix: 'ABC', digits: 8 };
const recordOf = (n: number, volume = 'VOL001') => {
  const bates = `ABC${String(n).padStart(8, '0')}`;
  return { batesNumber: bates, controlNumber: bates, filePath: `NATIVES\\${volume}\\${bates}.pdf`, hash: '', volume };
};
const bates = (n: number) => `ABC${String(n).padStart(8, '0')}`;

t.test('replacement on productions made here: unchanged, changed (moved volume), removed and added, every list checked', async (t) => {
  // Prior: 1-10 in volumes of 5; new: 4-13, another seed, all in VOL001: 4-5 keep their path, 6-10 move.
  const prior = await production({ count: 10, bates: { ...BATES, start: 1 }, production: { id: 'PRIOR', volumeSize: 5 }, seed: 1 });
  const next = await production({ count: 10, bates: { ...BATES, start: 4 }, production: { id: 'NEW' }, seed: 2 });
  const res = await compare([['mode', 'replacement'], ...productionParts(prior, next)]);
  t.equal(res.status, 200, res.text);
  t.match(res.type, /^application\/json/);
  const report = JSON.parse(res.text) as ComparisonReport;
  t.equal(report.comparisonMode, 'replacement');
  t.same(report.manifests, ['PRIOR/_manifest.json', 'NEW/_manifest.json']);
  t.same(report.summary, { totalPriorRecords: 10, totalNewRecords: 10, addedCount: 3, removedCount: 3, unchangedCount: 2, changedCount: 5, replacedCount: 0, duplicateCount: 0 });
  t.same(report.details.unchanged, [recordOf(4), recordOf(5)]);
  t.same(
    report.details.changed,
    [6, 7, 8, 9, 10].map((n) => ({ batesNumber: bates(n), controlNumber: bates(n), priorPath: `NATIVES\\VOL002\\${bates(n)}.pdf`, newPath: `NATIVES\\VOL001\\${bates(n)}.pdf`, priorHash: '', newHash: '' })),
  );
  t.same(report.details.added, [11, 12, 13].map((n) => recordOf(n)));
  t.same(report.details.removed, [1, 2, 3].map((n) => recordOf(n)));
  t.same(report.details.replaced, []);
  t.same(report.details.duplicates, []);
  t.same(report.details.skipped, []);
  t.same(report.batesAnalysis, {
    priorRange: `${bates(1)} - ${bates(10)}`,
    newRange: `${bates(4)} - ${bates(13)}`,
    gaps: [],
    overlaps: [{ start: bates(4), end: bates(10) }],
    totalSkippedBates: 0,
    priorRangesByProductionSet: { PRIOR: `${bates(1)} - ${bates(10)}` },
  });
  t.same(report.volumeAnalysis, [
    { productionId: 'PRIOR', volumeName: 'VOL001', priorBatesRange: `${bates(1)} - ${bates(5)}`, newBatesRange: `${bates(4)} - ${bates(13)}`, status: 'changed' },
    { productionId: 'PRIOR', volumeName: 'VOL002', priorBatesRange: `${bates(6)} - ${bates(10)}`, newBatesRange: '', status: 'removed' },
  ]);

  // reproduction compares as replacement; the mode may come last and in any case.
  const reproduction = await compare([...productionParts(prior, next), ['mode', 'Reproduction']]);
  t.equal(reproduction.status, 200);
  const again = JSON.parse(reproduction.text) as ComparisonReport;
  t.equal(again.comparisonMode, 'reproduction');
  t.same({ ...again, comparisonMode: 'replacement' }, report, 'reproduction: the same report');

  // The same productions, Markdown.
  const markdown = await compare([['mode', 'replacement'], ...productionParts(prior, next)], { accept: 'text/markdown' });
  t.equal(markdown.status, 200);
  t.match(markdown.type, /^text\/markdown/);
  const lines = markdown.text.split('\n');
  t.match(lines[3], /^\*\*Date Generated:\*\* \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
  t.same(
    [...lines.slice(0, 3), ...lines.slice(4)],
    [
      '# Production Set Comparison Report',
      '',
      '**Mode:** REPLACEMENT',
      '',
      '## Summary',
      '',
      '| Metric | Value |',
      '|--------|-------|',
      '| Total Prior Records | 10 |',
      '| Total New Records | 10 |',
      '| Added Records | 3 |',
      '| Removed Records | 3 |',
      '| Unchanged Records | 2 |',
      '| Changed Records (Metadata/Hash) | 5 |',
      '| Replaced Records (Different Bates) | 0 |',
      '| Duplicates/Overlaps | 0 |',
      '',
      '## Bates Number Analysis',
      '',
      `* **Prior Bates Range:** ${bates(1)} - ${bates(10)}`,
      `* **New Bates Range:** ${bates(4)} - ${bates(13)}`,
      '',
      '### Prior Bates Ranges by Production Set',
      '',
      `* **PRIOR:** ${bates(1)} - ${bates(10)}`,
      '',
      '### Overlapping Bates Ranges',
      '',
      `- \`${bates(4)}\` to \`${bates(10)}\``,
      '',
      '## Volume Analysis',
      '',
      '| Production Set | Volume | Prior Bates Range | New Bates Range | Status |',
      '|----------------|--------|-------------------|-----------------|--------|',
      `| PRIOR | VOL001 | ${bates(1)} - ${bates(5)} | ${bates(4)} - ${bates(13)} | changed |`,
      `| PRIOR | VOL002 | ${bates(6)} - ${bates(10)} |  | removed |`,
      '',
      '',
    ],
  );
});

t.test('supplemental on productions made here: an overlap, then a gap', async (t) => {
  const prior = await production({ count: 10, bates: { ...BATES, start: 1 }, production: { id: 'SET1' }, seed: 3 });
  const overlapping = await production({ count: 10, bates: { ...BATES, start: 8 }, production: { id: 'SET2' }, seed: 4 });
  const res = await compare([...productionParts(prior, overlapping), ['mode', 'supplemental']]);
  t.equal(res.status, 200, res.text);
  const report = JSON.parse(res.text) as ComparisonReport;
  t.same(report.summary, { totalPriorRecords: 10, totalNewRecords: 10, addedCount: 10, removedCount: 0, unchangedCount: 0, changedCount: 0, replacedCount: 0, duplicateCount: 3 });
  t.same(report.details.added, [8, 9, 10, 11, 12, 13, 14, 15, 16, 17].map((n) => recordOf(n)), 'an overlapping row is still added');
  t.same(report.details.removed, [], 'a supplemental set removes nothing');
  t.same(
    report.details.duplicates,
    [8, 9, 10].map((n) => ({ set: 'new', batesNumber: bates(n), controlNumber: bates(n), message: `Supplemental overlap: Bates '${bates(n)}' or Control '${bates(n)}' matches a prior production set.` })),
  );
  t.same(report.batesAnalysis.overlaps, [{ start: bates(8), end: bates(10) }]);
  t.same(report.batesAnalysis.gaps, []);
  t.equal(report.batesAnalysis.totalSkippedBates, 0);
  // Same count, and the shared Bates keep their paths.
  t.same(report.volumeAnalysis, [{ productionId: 'SET1', volumeName: 'VOL001', priorBatesRange: `${bates(1)} - ${bates(10)}`, newBatesRange: `${bates(8)} - ${bates(17)}`, status: 'unchanged' }]);

  const later = await production({ count: 5, bates: { ...BATES, start: 15 }, production: { id: 'SET3' }, seed: 5 });
  const gap = JSON.parse((await compare([['mode', 'supplemental'], ...productionParts(prior, later)])).text) as ComparisonReport;
  t.same(gap.summary, { totalPriorRecords: 10, totalNewRecords: 5, addedCount: 5, removedCount: 0, unchangedCount: 0, changedCount: 0, replacedCount: 0, duplicateCount: 0 });
  t.same(gap.batesAnalysis.gaps, [{ start: bates(11), end: bates(14) }], 'the hole between the last prior and the first new number');
  t.equal(gap.batesAnalysis.totalSkippedBates, 4);
  t.same(gap.details.skipped, [], 'skipped lists holes inside the new set only');
  t.same(gap.batesAnalysis.overlaps, []);
  t.same(gap.volumeAnalysis.map((volume) => volume.status), ['changed'], 'row count differs');

  // Three productions: two priors, the new one last.
  const three = JSON.parse((await compare([['mode', 'replacement'], ...productionParts(prior, later, overlapping)])).text) as ComparisonReport;
  t.same(three.manifests, ['SET1/_manifest.json', 'SET3/_manifest.json', 'SET2/_manifest.json']);
  t.equal(three.summary.totalPriorRecords, 15);
  t.same(three.batesAnalysis.priorRangesByProductionSet, { SET1: `${bates(1)} - ${bates(10)}`, SET3: `${bates(15)} - ${bates(19)}` });
  // New 8-17: 8-10 match SET1 and 15-17 SET3 (same paths), 11-14 are new; SET1's 1-7 and SET3's 18-19 are gone.
  t.same(three.summary, { totalPriorRecords: 15, totalNewRecords: 10, addedCount: 4, removedCount: 9, unchangedCount: 6, changedCount: 0, replacedCount: 0, duplicateCount: 0 });
  t.same(three.details.added.map((record) => record.batesNumber), [11, 12, 13, 14].map(bates));
  t.same(three.details.removed.map((record) => record.batesNumber), [1, 2, 3, 4, 5, 6, 7, 18, 19].map(bates));
  t.same(three.batesAnalysis.overlaps, [{ start: bates(8), end: bates(10) }, { start: bates(15), end: bates(17) }]);
});

function manifestFor(id: string, settings: Record<string, string>, dat = 'DATA/hand.dat'): Buffer {
  return Buffer.from(JSON.stringify({ productionId: id, loadFiles: { dat, opt: 'DATA/hand.opt' }, settings }));
}

t.test('hand-made DATs: header aliases, other dialects and encodings, duplicates, replaced, volumes inferred from paths', async (t) => {
  const q = (value: string) => `\u00fe${value}\u00fe`;
  const priorRows = [
    ['BEGDOC', 'CONTROL_NUMBER', 'FILE_PATH', 'MD5HASH'],
    ['X001', 'C1', 'VOL01\\a.pdf', 'aaa'],
    ['X002', 'C2', 'VOL01\\b.pdf', 'bbb'],
    ['X002', 'C3', 'VOL01\\c.pdf', 'ccc'],
    ['X003', 'C1', 'VOL02\\d.pdf', 'ddd'],
    ['X005', 'C5', 'VOL02\\e.pdf', 'eee'],
    ['X004', 'C4', 'VOL02\\f\u00aeg.pdf', 'fff'],
  ];
  // UTF-8 with a BOM, Concordance's DC4 and þ, CRLF.
  const priorDat = Buffer.from('\ufeff' + priorRows.map((row) => row.map(q).join('\u0014')).join('\r\n') + '\r\n', 'utf8');
  // UTF-16 (BOM), | and ", LF, a doubled quote inside a value, an empty line, no final line end.
  const newText = ['BATES|DOCID|PATH|MD5', 'X001|C1|VOL01\\a.pdf|AAA', '"X002"|C2|VOL01\\b.pdf|bbX', 'X009|C5|VOL03\\e.pdf|eee', '', 'X007|C7|"VOL03\\g ""q"".pdf"|ggg', 'X007|C8|VOL03\\h.pdf|'].join('\n');
  const newDat = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(newText, 'utf16le')]);
  const res = await compare([
    ['manifest', manifestFor('HAND1', { encoding: 'UTF-8', columnDelimiter: 'ascii:20', quoteDelimiter: 'char:\u00fe' })],
    ['dat', priorDat],
    ['manifest', manifestFor('HAND2', { encoding: 'UTF-16', columnDelimiter: 'char:|', quoteDelimiter: 'char:"' })],
    ['dat', newDat],
    ['mode', 'replacement'],
  ]);
  t.equal(res.status, 200, res.text);
  const report = JSON.parse(res.text) as ComparisonReport;
  t.same(report.summary, { totalPriorRecords: 6, totalNewRecords: 5, addedCount: 2, removedCount: 1, unchangedCount: 1, changedCount: 1, replacedCount: 1, duplicateCount: 3 });
  t.same(report.details.unchanged, [{ batesNumber: 'X001', controlNumber: 'C1', filePath: 'VOL01\\a.pdf', hash: 'AAA', volume: 'VOL01' }], 'hashes compare in any case');
  t.same(report.details.changed, [{ batesNumber: 'X002', controlNumber: 'C2', priorPath: 'VOL01\\b.pdf', newPath: 'VOL01\\b.pdf', priorHash: 'bbb', newHash: 'bbX' }], 'matched to the first prior row of that Bates');
  t.same(report.details.replaced, [{ priorBatesNumber: 'X005', newBatesNumber: 'X009', controlNumber: 'C5' }]);
  t.same(report.details.added, [
    { batesNumber: 'X007', controlNumber: 'C7', filePath: 'VOL03\\g "q".pdf', hash: 'ggg', volume: 'VOL03' },
    { batesNumber: 'X007', controlNumber: 'C8', filePath: 'VOL03\\h.pdf', hash: '', volume: 'VOL03' },
  ]);
  // X002/C3 shares a matched Bates and X003/C1 a matched control number: neither is removed.
  t.same(report.details.removed, [{ batesNumber: 'X004', controlNumber: 'C4', filePath: 'VOL02\\f\u00aeg.pdf', hash: 'fff', volume: 'VOL02' }]);
  t.same(report.details.duplicates, [
    { set: 'prior', batesNumber: 'X002', controlNumber: 'C3', message: "Duplicate Bates Number 'X002' on line 4 (first seen on line 3)" },
    { set: 'prior', batesNumber: 'X003', controlNumber: 'C1', message: "Duplicate Control Number 'C1' on line 5 (first seen on line 2)" },
    { set: 'new', batesNumber: 'X007', controlNumber: 'C8', message: "Duplicate Bates Number 'X007' on line 7 (first seen on line 6)" },
  ]);
  t.same(report.details.skipped, [
    { start: 'X003', end: 'X006' },
    { start: 'X008', end: 'X008' },
  ]);
  t.same(report.batesAnalysis, {
    priorRange: 'X001 - X005',
    newRange: 'X001 - X009',
    gaps: [
      { start: 'X003', end: 'X006' },
      { start: 'X008', end: 'X008' },
    ],
    overlaps: [{ start: 'X001', end: 'X002' }],
    totalSkippedBates: 5,
    priorRangesByProductionSet: { HAND1: 'X001 - X005' },
  });
  t.same(report.volumeAnalysis, [
    { productionId: 'HAND1', volumeName: 'VOL01', priorBatesRange: 'X001 - X002', newBatesRange: 'X001 - X002', status: 'changed' },
    { productionId: 'HAND1', volumeName: 'VOL02', priorBatesRange: 'X003 - X005', newBatesRange: '', status: 'removed' },
    { productionId: 'HAND2', volumeName: 'VOL03', priorBatesRange: '', newBatesRange: 'X007 - X009', status: 'added' },
  ]);

  // Markdown lists gaps when there are some.
  const markdown = await compare(
    [
      ['manifest', manifestFor('HAND1', { encoding: 'UTF-8', columnDelimiter: 'ascii:20', quoteDelimiter: 'char:\u00fe' })],
      ['dat', priorDat],
      ['manifest', manifestFor('HAND2', { encoding: 'UTF-16', columnDelimiter: 'char:|', quoteDelimiter: 'char:"' })],
      ['dat', newDat],
      ['mode', 'replacement'],
    ],
    { accept: 'text/markdown' },
  );
  t.match(markdown.text, '### Skipped Bates Ranges (Gaps)\n\n- `X003` to `X006`\n- `X008` to `X008`\n\n');
  t.match(markdown.text, '| HAND2 | VOL03 |  | X007 - X009 | added |\n');
});

async function expectProblem(t: Test, parts: Part[], status: number, field: string, message: RegExp, origin = server.origin): Promise<void> {
  const res = await compare(parts, {}, origin);
  t.equal(res.status, status, `${field}: ${status}`);
  t.match(res.type, /^application\/problem\+json/);
  const problem = JSON.parse(res.text) as ProblemBody;
  t.same(problem.errors.map((error) => error.field), [field], `names ${field}`);
  t.match(problem.errors[0]!.message, message);
  t.match(problem.detail, field);
}

t.test('400s name the part: manifest, its fields and DAT path, the DAT, order, mode', async (t) => {
  const settings = { encoding: 'UTF-8', columnDelimiter: 'ascii:20', quoteDelimiter: 'char:\u00fe' };
  const good = manifestFor('A', settings);
  const dat = Buffer.from('\u00feBATES_NUMBER\u00fe\r\n\u00feA1\u00fe\r\n', 'utf8');
  const pair = (manifest: Buffer | string, d: Buffer = dat): Part[] => [
    ['manifest', manifest],
    ['dat', d],
  ];
  const mode: Part = ['mode', 'replacement'];
  await expectProblem(t, [...pair(good), ...pair(Buffer.from('{"productionId": ')), mode], 400, 'manifest[1]', /is not valid JSON/);
  await expectProblem(t, [...pair(Buffer.from('[1,2]')), ...pair(good), mode], 400, 'manifest[0]', /not a JSON object/);
  await expectProblem(t, [...pair(Buffer.from('{"loadFiles":{"dat":"DATA/a.dat"}}')), ...pair(good), mode], 400, 'manifest[0].productionId', /missing/);
  await expectProblem(t, [...pair(Buffer.from('{"productionId":"A"}')), ...pair(good), mode], 400, 'manifest[0].loadFiles', /missing/);
  await expectProblem(t, [...pair(good), ...pair(manifestFor('B', settings, '../other/DATA/a.dat')), mode], 400, 'manifest[1].loadFiles.dat', /escapes the manifest's folder/);
  await expectProblem(t, [...pair(good), ...pair(manifestFor('B', settings, 'DATA/../../a.dat')), mode], 400, 'manifest[1].loadFiles.dat', /escapes/);
  await expectProblem(t, [...pair(manifestFor('B', settings, '/etc/a.dat')), ...pair(good), mode], 400, 'manifest[0].loadFiles.dat', /rooted/);
  await expectProblem(t, [...pair(manifestFor('B', settings, 'C:\\a.dat')), ...pair(good), mode], 400, 'manifest[0].loadFiles.dat', /rooted/);
  await expectProblem(t, [...pair(manifestFor('B', { ...settings, encoding: 'EBCDIC' })), ...pair(good), mode], 400, 'manifest[0].settings.encoding', /not an encoding/);
  await expectProblem(t, [...pair(manifestFor('B', { ...settings, columnDelimiter: 'tab' })), ...pair(good), mode], 400, 'manifest[0].settings.columnDelimiter', /ascii:N/);
  // Manifest as a plain field works as well as a file; a DAT without a Bates column does not.
  const noBates = Buffer.from('\u00feDOCID\u00fe\u0014\u00feNATIVE_PATH\u00fe\r\n\u00feA1\u00fe\u0014\u00fea.pdf\u00fe\r\n', 'utf8');
  await expectProblem(t, [...pair(good.toString('utf8')), ...pair(good, noBates), mode], 400, 'dat[1]', /missing a required Bates number column \(BATES_NUMBER, BATES, or BEGDOC\)/);
  // In the manifest's dialect: a DAT in another one has no Bates column either.
  await expectProblem(t, [...pair(good), ...pair(manifestFor('B', { ...settings, columnDelimiter: 'char:,' }), Buffer.from('BATES_NUMBER|DOCID\nA1|A1\n')), mode], 400, 'dat[1]', /Bates number column/);
  // Order and presence.
  await expectProblem(t, [['dat', dat], ['manifest', good], ...pair(good), mode], 400, 'dat[0]', /before its manifest/);
  await expectProblem(t, [['manifest', good], ['manifest', good], ...pair(good), mode], 400, 'dat[0]', /is missing/);
  await expectProblem(t, [...pair(good), ['manifest', good], mode], 400, 'dat[1]', /is missing/);
  await expectProblem(t, [...pair(good), mode], 400, 'manifest', /at least two/);
  await expectProblem(t, [mode], 400, 'manifest', /at least two/);
  await expectProblem(t, [...pair(good), ...pair(good)], 400, 'mode', /is required/);
  await expectProblem(t, [...pair(good), ...pair(good), ['mode', 'merge']], 400, 'mode', /not one of replacement, supplemental, reproduction/);
  await expectProblem(t, [...pair(good), ...pair(good), mode, ['mode', 'supplemental']], 400, 'mode', /twice/);
  await expectProblem(t, [...pair(good), ...pair(good), mode, ['opt', Buffer.from('x')]], 400, 'opt', /not a part of a comparison/);

  // Still fine after all that: the two-row comparison.
  const ok = await compare([...pair(good), ...pair(manifestFor('B', settings)), mode]);
  t.equal(ok.status, 200, ok.text);
  t.same((JSON.parse(ok.text) as ComparisonReport).summary.unchangedCount, 1);
});

t.test('limits: a DAT over ZIPPER_MAX_UPLOAD_SIZE, too many rows, a huge manifest: 413 naming the part', async (t) => {
  const small = await startServer({ ZIPPER_MAX_UPLOAD_SIZE: '2048', ZIPPER_MAX_COMPARE_ROWS: '30' });
  t.teardown(() => small.close());
  const manifest = manifestFor('A', {});
  const rows = (from: number, count: number) => Buffer.from('\u00feBATES\u00fe\r\n' + Array.from({ length: count }, (_, i) => `\u00feA${from + i}\u00fe\r\n`).join(''), 'utf8');
  const mode: Part = ['mode', 'replacement'];
  await expectProblem(t, [['manifest', manifest], ['dat', rows(1, 10)], ['manifest', manifest], ['dat', Buffer.alloc(4096, 'a')], mode], 413, 'dat[1]', /ZIPPER_MAX_UPLOAD_SIZE/, small.origin);
  // 20 + 20 rows: the limit counts every DAT together.
  await expectProblem(t, [['manifest', manifest], ['dat', rows(1, 20)], ['manifest', manifest], ['dat', rows(21, 20)], mode], 413, 'dat[1]', /more than 30 rows.*ZIPPER_MAX_COMPARE_ROWS/, small.origin);
  const ok = await compare([['manifest', manifest], ['dat', rows(1, 15)], ['manifest', manifest], ['dat', rows(10, 15)], mode], {}, small.origin);
  t.equal(ok.status, 200, 'within both limits');
  await expectProblem(t, [['manifest', Buffer.alloc(1024 * 1024 + 1, ' ')], ['dat', rows(1, 1)], mode], 413, 'manifest[0]', /not a manifest/);
});

t.test('not multipart: 415 here; multipart on POST /archives is a sources upload', async (t) => {
  for (const [body, type] of [
    ['{"mode":"replacement"}', 'application/json'],
    ['mode=replacement', 'text/plain'],
  ] as const) {
    const res = await send(server.origin, 'POST', '/productions/compare', body, { 'content-type': type });
    t.equal(res.status, 415, type);
    t.match(res.headers['content-type'], /^application\/problem\+json/);
    t.match(JSON.parse(res.body.toString('utf8')).detail, /multipart\/form-data/);
  }
  const form = new FormData();
  form.append('count', '1');
  const archive = await fetch(`${server.origin}/archives`, { method: 'POST', body: form });
  t.equal(archive.status, 400, 'POST /archives reads multipart as a sources upload');
  const problem = JSON.parse(await archive.text()) as { errors: Array<{ field: string }> };
  t.same(
    problem.errors.map((error) => error.field),
    ['count', 'request'],
    'and names the part it lacks (and the stray one)',
  );
});
