import t, { type Test } from 'tap';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, send, postArchive } from '../helpers/server.js';
import { readZip } from '../helpers/zip.js';
import { parseDat } from '../helpers/dat.js';
import { spillsLeftBehind } from '../helpers/spills.js';
import type { PlanSummary } from '../../src/generator/plan-summary.js';

const tempDir = mkdtempSync(join(tmpdir(), 'zipper-sources-test-'));
const server = await startServer({ ZIPPER_TEMP_DIR: tempDir });
t.teardown(() => server.close());

interface Problem {
  status: number;
  errors: Array<{ field: string; message: string }>;
}

/** A multipart/form-data POST: the request part (JSON fields), then the sources part (a CSV file). */
async function postMultipart(path: string, fields: unknown, csv: string | null, extra: Array<[string, string]> = []) {
  const form = new FormData();
  for (const [name, value] of extra) form.append(name, value);
  if (fields !== undefined) form.append('request', JSON.stringify(fields));
  if (csv !== null) form.append('sources', new Blob([csv], { type: 'text/csv' }), 'collection.csv');
  const res = await fetch(`${server.origin}${path}`, { method: 'POST', body: form });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

/** A column profile whose columns are the identities, the path and two metadata columns of the sources. */
const PROFILE = {
  name: 'review',
  columns: [
    { name: 'DOCID', type: 'identifier', required: true },
    { name: 'BEGBATES', type: 'text', required: true },
    { name: 'FILEPATH', type: 'text', required: true },
    { name: 'CUSTODIAN', type: 'text' },
    { name: 'REVIEWED', type: 'text' },
  ],
};

const TYPES = [
  ['pdf', 'pdf'],
  ['docx', 'docx'],
  ['eml', 'eml'],
  ['jpeg', 'jpg'],
  ['tif', 'tiff'],
  ['xlsx', 'xlsx'],
] as const;

/** Row k (0-based) of the big collection: nested paths, mixed types, some identities given, metadata. */
function row(k: number) {
  const [extension, type] = TYPES[k % TYPES.length]!;
  const path = `custodian_${k % 7}/box ${k % 13}/folder-${k % 5}/file_${k}.${extension}`;
  const control = k % 3 === 0 ? `ACME-${String(k).padStart(6, '0')}` : '';
  const bates = k % 4 === 0 ? `GIVEN${String(k).padStart(7, '0')}` : '';
  return { path, type, control, bates, custodian: `Custodian ${k % 7}`, reviewed: k % 2 === 0 ? 'Y' : 'N' };
}

const ROWS = 10_000;

/** A CSV with Zipper's aliases (File_Path, Doc ID, BegBates), a quoted cell with a comma and a BOM. */
function collectionCsv(rows: number): string {
  const lines = ['\ufeffFile_Path,File Type,Doc ID,BegBates,Custodian,Reviewed'];
  for (let k = 0; k < rows; k++) {
    const r = row(k);
    const custodian = k % 10 === 0 ? `"${r.custodian}, lead"` : r.custodian;
    lines.push([r.path, k % 2 === 0 ? r.type.toUpperCase() : '', r.control, r.bates, custodian, r.reviewed].join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

function expectedCustodian(k: number): string {
  return k % 10 === 0 ? `${row(k).custodian}, lead` : row(k).custodian;
}

t.test('a 10,000-row CSV: the archive holds exactly its paths, the load file their identities and metadata', async (t) => {
  const fields = { name: 'collection', seed: 7, bates: { prefix: 'ABC', start: 1, digits: 8 }, columnProfile: PROFILE, withText: true };
  const csv = collectionCsv(ROWS);
  const res = await postMultipart('/archives', fields, csv);
  t.equal(res.status, 200, res.status === 200 ? 'archive' : res.body.toString());
  const entries = await readZip(res.body);
  const names = entries.map((entry) => entry.name);
  const expected = new Set<string>(['collection.dat']);
  for (let k = 0; k < ROWS; k++) {
    const { path } = row(k);
    expected.add(path);
    expected.add(`${path.slice(0, path.lastIndexOf('.'))}.txt`);
  }
  t.equal(names.length, expected.size, 'one document and one text per row, and the load file');
  t.same(new Set(names), expected, 'exactly the sources\' paths');

  const dat = parseDat(entries.find((entry) => entry.name === 'collection.dat')!.data, 'UTF-8');
  t.same(dat.header, ['DOCID', 'BEGBATES', 'FILEPATH', 'CUSTODIAN', 'REVIEWED']);
  t.equal(dat.rows.length, ROWS);
  let wrong = 0;
  for (let k = 0; k < ROWS; k++) {
    const r = row(k);
    const want = [r.control || `DOC${String(k + 1).padStart(8, '0')}`, r.bates || `ABC${String(k + 1).padStart(8, '0')}`, r.path, expectedCustodian(k), r.reviewed];
    if (JSON.stringify(dat.rows[k]) !== JSON.stringify(want)) {
      if (wrong++ < 3) t.same(dat.rows[k], want, `row ${k + 1}`);
    }
  }
  t.equal(wrong, 0, 'every row: given or generated identities, the path, metadata from the CSV');

  // Each document is of its type: spot checks by magic bytes.
  const magic: Record<string, string> = { pdf: '%PDF', docx: 'PK', xlsx: 'PK', jpg: '\xff\xd8', tiff: 'II', eml: '' };
  for (const k of [0, 1, 2, 3, 4, 5, 9_999]) {
    const r = row(k);
    const data = entries.find((entry) => entry.name === r.path)!.data;
    t.ok(data.toString('latin1').startsWith(magic[r.type]!), `${r.path} is a ${r.type}`);
  }

  // The plan says the same, and POST /loadfiles streams the same DAT.
  const planned = await postMultipart('/archives/plan', fields, csv);
  t.equal(planned.status, 200);
  const plan = JSON.parse(planned.body.toString()) as PlanSummary;
  t.equal(plan.documents, ROWS);
  t.equal(plan.entries, entries.length, 'plan: entry count');
  t.same(plan.folders, [], 'plan: no folders of ours');
  t.same(plan.fileTypes, { pdf: 1667, jpg: 1667, tiff: 1666, eml: 1667, docx: 1667, xlsx: 1666 }, 'plan: per type');
  t.same(plan.loadFiles[0]!.columns, dat.header, 'plan: columns');
  const loadFile = await postMultipart('/loadfiles', fields, csv);
  t.equal(loadFile.status, 200);
  t.ok(loadFile.body.equals(entries.find((entry) => entry.name === 'collection.dat')!.data), 'POST /loadfiles: the archive\'s DAT byte for byte');

  // Same CSV, same seed: the same bytes and ETag.
  const again = await postMultipart('/archives', fields, csv);
  t.equal(again.headers.get('etag'), res.headers.get('etag'));
  t.ok(again.body.equals(res.body), 'deterministic');
  t.same(spillsLeftBehind(tempDir), [], 'every spill file removed once the responses closed (the layout kept for ranges aside)');
});

t.test('JSON sources: the same on a small list, count optional, types from the extension', async (t) => {
  const sources = [
    { filePath: 'alice\\mail//0001.eml', controlNumber: 'ALICE-1', Custodian: 'Alice', Reviewed: true },
    { filePath: ' alice/docs/plan.docx ', Custodian: 'Alice', Reviewed: null },
    { filePath: 'bob/scan.TIF', fileType: '.tiff', batesNumber: 'XYZ0001', Custodian: 'Bob', Reviewed: 3 },
    { filePath: 'readme.pdf', fileType: 'PDF' },
  ];
  const fields = { seed: 3, sources, columnProfile: PROFILE, bates: { prefix: 'ABC' }, loadFileFormats: ['dat', 'opt'] };
  const res = await postArchive(server.origin, fields);
  t.equal(res.status, 200, res.status === 200 ? 'archive' : res.body.toString());
  const entries = await readZip(res.body);
  t.same(entries.map((entry) => entry.name).sort(), ['alice/docs/plan.docx', 'alice/mail/0001.eml', 'archive.dat', 'archive.opt', 'bob/scan.TIF', 'readme.pdf']);
  const dat = parseDat(entries.find((entry) => entry.name === 'archive.dat')!.data, 'UTF-8');
  t.same(dat.rows, [
    ['ALICE-1', 'ABC00000001', 'alice/mail/0001.eml', 'Alice', 'true'],
    ['DOC00000002', 'ABC00000002', 'alice/docs/plan.docx', 'Alice', ''],
    ['DOC00000003', 'XYZ0001', 'bob/scan.TIF', 'Bob', '3'],
    ['DOC00000004', 'ABC00000004', 'readme.pdf', '', ''],
  ]);
  const opt = entries.find((entry) => entry.name === 'archive.opt')!.data.toString();
  t.match(opt, /^XYZ0001,VOL001,/m, 'OPT keys a given Bates number');

  const planned = await send(server.origin, 'POST', '/archives/plan', fields);
  const plan = JSON.parse(planned.body.toString()) as PlanSummary;
  t.equal(plan.seed, 3);
  t.equal(plan.entries, entries.length);
  t.same(plan.fileTypes, { pdf: 1, tiff: 1, eml: 1, docx: 1 });

  // Without a profile the fixed columns (File Type when types are mixed); metadata needs a profile.
  const plain = await postArchive(server.origin, { seed: 3, sources: sources.slice(0, 2) });
  const plainDat = parseDat((await readZip(plain.body)).find((entry) => entry.name === 'archive.dat')!.data, 'UTF-8');
  t.same(plainDat.header.slice(0, 3), ['Control Number', 'File Path', 'File Type']);
  t.notOk(plainDat.header.includes('Custodian') || plainDat.header.includes('Reviewed'), 'no metadata columns without a profile');
  t.same(
    plainDat.rows.map((cells) => cells.slice(0, 3)),
    [
      ['ALICE-1', 'alice/mail/0001.eml', 'eml'],
      ['DOC00000002', 'alice/docs/plan.docx', 'docx'],
    ],
  );
});

/** The fields a 400 names. */
async function problemFields(t: Test, res: { status: number; body: Buffer }, label: string): Promise<string[]> {
  t.equal(res.status, 400, label);
  const problem = JSON.parse(res.body.toString()) as Problem;
  return problem.errors.map((error) => error.field);
}

t.test('each sanitizer, type and identity rule has its 400, naming the record and the column (JSON)', async (t) => {
  const ok = { filePath: 'ok/a.pdf' };
  const cases: Array<[string, unknown[], object, string[]]> = [
    ['empty path', [{ filePath: '  ' }], {}, ['sources[0].filePath']],
    ['reserved character', [ok, { filePath: 'a/b?.pdf' }], {}, ['sources[1].filePath']],
    ['drive letter', [{ filePath: 'C:/docs/a.pdf' }], {}, ['sources[0].filePath']],
    ['control character', [{ filePath: 'a/b\u0007.pdf' }], {}, ['sources[0].filePath']],
    ['rooted', [{ filePath: '/etc/a.pdf' }], {}, ['sources[0].filePath']],
    ['UNC', [{ filePath: '\\\\server\\share\\a.pdf' }], {}, ['sources[0].filePath']],
    ['.. segment', [{ filePath: 'a/../../b.pdf' }], {}, ['sources[0].filePath']],
    ['. segment', [{ filePath: './b.pdf' }], {}, ['sources[0].filePath']],
    ['segment ending in a dot', [{ filePath: 'dir./b.pdf' }], {}, ['sources[0].filePath']],
    ['segment ending in a space', [{ filePath: 'dir /b.pdf' }], {}, ['sources[0].filePath']],
    ['device name', [{ filePath: 'x/NUL.pdf' }], {}, ['sources[0].filePath']],
    ['device name with spaces', [{ filePath: 'com1 .tar/a.pdf' }], {}, ['sources[0].filePath']],
    ['duplicate path ignoring case', [ok, { filePath: 'OK/A.pdf' }], {}, ['sources[1].filePath']],
    ['unknown fileType', [{ filePath: 'a.pdf', fileType: 'doc' }], {}, ['sources[0].fileType']],
    ['extension against fileType', [{ filePath: 'a.pdf', fileType: 'jpg' }], {}, ['sources[0].filePath']],
    ['no extension, no fileType', [{ filePath: 'a/readme' }], {}, ['sources[0].filePath']],
    ['unknown extension', [{ filePath: 'a/b.txt' }], {}, ['sources[0].filePath']],
    ['control number with /', [{ ...ok, controlNumber: 'A/1' }], {}, ['sources[0].controlNumber']],
    ['control number with a control character', [{ ...ok, controlNumber: 'A\t1' }], {}, ['sources[0].controlNumber']],
    ['duplicate control number', [{ ...ok, controlNumber: 'x-1' }, { filePath: 'b.pdf', controlNumber: 'X-1' }], {}, ['sources[1].controlNumber']],
    ['a generated control number', [ok, { filePath: 'b.pdf', controlNumber: 'doc00000001' }], {}, ['sources[1].controlNumber']],
    ['Bates number without bates.prefix', [{ ...ok, batesNumber: 'B1' }], {}, ['sources[0].batesNumber']],
    ['Bates number of the sequence', [ok, { filePath: 'b.pdf', batesNumber: 'ABC00000002' }], { bates: { prefix: 'ABC' } }, ['sources[1].batesNumber']],
    ['duplicate Bates number', [{ ...ok, batesNumber: 'Z1' }, { filePath: 'b.pdf', batesNumber: 'z1' }], { bates: { prefix: 'ABC' } }, ['sources[1].batesNumber']],
    ['Bates number with \\', [{ ...ok, batesNumber: 'Z\\1' }], { bates: { prefix: 'ABC' } }, ['sources[0].batesNumber']],
    ['an alias as a metadata key', [{ ...ok, DocId: 'X' }], {}, ['sources[0].DocId']],
    ['text files that collide (withText)', [ok, { filePath: 'ok/a.docx' }], { withText: true }, ['sources[1].filePath']],
    ['no records', [], {}, ['sources']],
    ['count that does not match', [ok], { count: 2 }, ['count']],
    ['folders', [ok], { folders: 3 }, ['folders']],
    ['distribution', [ok], { distribution: 'gaussian' }, ['distribution']],
    ['fileType', [ok], { fileType: 'pdf' }, ['fileType']],
    ['withFamilies', [ok], { withFamilies: true, attachmentRate: 10 }, ['withFamilies', 'attachmentRate']],
    ['production with a source Bates number', [{ ...ok, batesNumber: 'Z1' }], { production: {}, bates: { prefix: 'P' } }, ['sources[0].batesNumber']],
    ['production in rolling sets', [ok], { production: { rolling: { count: 2 } }, bates: { prefix: 'P' } }, ['production.rolling.count']],
    ['opt without images', [{ filePath: 'a.eml' }], { loadFileFormat: 'opt' }, ['loadFileFormat']],
  ];
  for (const [label, sources, extra, fields] of cases) {
    const res = await postArchive(server.origin, { sources, ...extra });
    t.same(await problemFields(t, res, label), fields, label);
  }
  // Every bad record and every bad field at once.
  const res = await postArchive(server.origin, { sources: [{ filePath: '../a.pdf' }, ok, { filePath: 'b.exe' }], folders: 2, encoding: 'EBCDIC' });
  t.same((await problemFields(t, res, 'all at once')).sort(), ['encoding', 'folders', 'sources[0].filePath', 'sources[2].filePath'].sort());
  // Spelling defaults out is the same request.
  const defaults = await send(server.origin, 'POST', '/archives/plan', { sources: [ok], folders: 1, distribution: 'proportional', count: 1 });
  t.equal(defaults.status, 200);
  t.same(spillsLeftBehind(tempDir), [], 'no spill file left behind');
});

t.test('CSV rules: the row and the column as the CSV names them', async (t) => {
  const header = 'FilePath,FileType,Control Number,Bates,Notes';
  const cases: Array<[string, string, object, string[]]> = [
    ['bad path on row 2', `${header}\na.pdf,,,,\n../b.pdf,,,,\n`, {}, ['sources[row 2].FilePath']],
    ['bad type on row 1', `${header}\na.pdf,gif,,,\n`, {}, ['sources[row 1].FileType']],
    ['duplicate control number', `${header}\na.pdf,,C1,,\nb.pdf,,c1,,\n`, {}, ['sources[row 2].Control Number']],
    ['Bates without prefix', `${header}\na.pdf,,,B1,\n`, {}, ['sources[row 1].Bates']],
    ['no FilePath column', 'Path,FileType\na.pdf,pdf\n', {}, ['sources[header]']],
    ['duplicate header', 'FilePath,file_path\na.pdf,b.pdf\n', {}, ['sources[header].file_path']],
    ['two aliases of one role', 'FilePath,DocId,ControlNumber\na.pdf,X,Y\n', {}, ['sources[header].ControlNumber']],
    ['unterminated quote', `${header}\n"a.pdf,,,,\n`, {}, ['sources']],
    ['ragged row', `${header}\na.pdf,,\n`, {}, ['sources']],
    ['empty CSV', '', {}, ['sources']],
    ['header only', `${header}\n`, {}, ['sources']],
    ['count against rows', `${header}\na.pdf,,,,\n`, { count: 5 }, ['count']],
    ['sources in both parts', `${header}\na.pdf,,,,\n`, { sources: [{ filePath: 'x.pdf' }] }, ['sources']],
  ];
  for (const [label, csv, fields, expected] of cases) {
    const res = await postMultipart('/archives', fields, csv);
    t.same(await problemFields(t, res, label), expected, label);
  }
  t.same(await problemFields(t, await postMultipart('/archives', undefined, `${header}\na.pdf,,,,\n`), 'no request part'), ['sources', 'request'], 'no request part: the CSV came first, and no request part followed');
  t.same(await problemFields(t, await postMultipart('/archives', {}, null), 'no sources part'), ['sources'], 'no sources part');
  t.same(await problemFields(t, await postMultipart('/archives', { folders: 0 }, `${header}\na.pdf,,,,\n`), 'bad field'), ['folders'], 'the request part is validated as a body is');
  const res = await postMultipart('/archives', {}, 'FilePath\na.pdf\n', [['other', 'x']]);
  t.same(await problemFields(t, res, 'unknown part'), ['other'], 'unknown part');
  // Over ZIPPER_MAX_COUNT rows: refused, without reading on.
  const small = await startServer({ ZIPPER_MAX_COUNT: '5', ZIPPER_TEMP_DIR: tempDir });
  t.teardown(() => small.close());
  const form = new FormData();
  form.append('request', '{}');
  // Many chunks past the limit: the rest of the upload is read and dropped, then the 400.
  form.append('sources', new Blob([`FilePath\n${Array.from({ length: 200_000 }, (_, k) => `folder/f${k}.pdf`).join('\n')}\n`]), 'c.csv');
  const over = await fetch(`${small.origin}/archives`, { method: 'POST', body: form });
  t.equal(over.status, 400);
  t.match(((await over.json()) as Problem).errors, [{ field: 'sources', message: /more than 5 rows/ }]);
  t.same(spillsLeftBehind(tempDir), [], 'no spill file left behind');
});

t.test('other routes keep refusing multipart', async (t) => {
  const form = new FormData();
  form.append('request', '{}');
  const res = await fetch(`${server.origin}/archives/plan`.replace('/archives/plan', '/productions/compare'), { method: 'POST', body: form });
  t.not(res.status, 200);
  const get = await fetch(`${server.origin}/healthz`, { method: 'POST', body: form });
  t.not(get.status, 200);
});
