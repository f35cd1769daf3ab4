import t from 'tap';
import { LOAD_FILE_WRITERS } from '../../src/generator/loadfile/formats.js';
import type { LoadFileColumn, RowContext } from '../../src/generator/loadfile/columns.js';
import { startServer, postArchive, send } from '../helpers/server.js';
import { readZip, type ZipEntry } from '../helpers/zip.js';
import { parseDelimited } from '../helpers/dat.js';

const server = await startServer();
t.teardown(() => server.close());

const entry = (entries: ZipEntry[], name: string) => {
  const found = entries.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no entry ${name}`);
  return found.data;
};
const problemFields = (body: Buffer) => (JSON.parse(body.toString('utf8')) as { errors: Array<{ field: string }> }).errors.map((error) => error.field);

t.test('custom delimiters: column ";", no quote, LF — byte for byte', async (t) => {
  const res = await send(server.origin, 'POST', '/loadfiles', { count: 2, withMetadata: true, delimiters: { column: 'char:;', quote: 'none' }, eol: 'LF', seed: 1 });
  t.equal(res.status, 200);
  const text = res.body.toString('utf8');
  const [header, first] = text.split('\n');
  t.equal(header, 'Control Number;File Path;Custodian;Date Sent;Author;File Size', 'header: no quotes, ";" between, LF after');
  t.match(first, /^DOC00000001;folder_001\/00000001\.pdf;Custodian 1;\d\d\/\d\d\/\d{4};[^;]+;\d+$/, 'first row in the same dialect');
  t.notOk(text.includes('\r'), 'no CR anywhere');
  t.ok(text.endsWith('\n'));
  const records = parseDelimited(text, { column: ';', quote: null, eol: '\n' });
  t.equal(records.length, 3);
  t.ok(records.every((record) => record.length === 6), 'every record has the header’s column count');
});

t.test('the csv preset: comma, double quote, every field quoted, CRLF', async (t) => {
  const res = await send(server.origin, 'POST', '/loadfiles', { count: 5, fileType: 'eml', datDelimiters: 'csv', seed: 4 });
  const text = res.body.toString('utf8');
  t.ok(text.startsWith('"Control Number","File Path","To","From","Subject","Sent Date","Attachment"\r\n'), 'quoted header, CRLF');
  const records = parseDelimited(text, { column: ',', quote: '"', eol: '\r\n' });
  t.equal(records.length, 6);
  t.ok(records.every((record) => record.length === 7));
  t.ok(records.slice(1).some((record) => record[2]!.includes(';')), 'several recipients stay in one field');
});

t.test('values holding the delimiter, the quote or a line break are written as the dialect says', async (t) => {
  const column = (value: string): LoadFileColumn => ({ name: 'V', field: 'V', kind: 'text', needs: 'names', value: () => value });
  const row = {} as RowContext;
  const dialect = { column: ';', quote: '"', newline: '®', multiValue: ';', nestedValue: '\\', eol: '\n' };
  const dat = LOAD_FILE_WRITERS.dat(dialect);
  t.equal(dat.row(row, [column('a;b'), column('say "hi"'), column('one\r\ntwo\nthree')]), '"a;b";"say ""hi""";"one®two®three"\n', 'quoted, quotes doubled, line breaks → newline delimiter');
  const unquoted = LOAD_FILE_WRITERS.dat({ ...dialect, quote: null });
  t.equal(unquoted.row(row, [column('a;b'), column('x"y')]), 'a b;x"y\n', 'no quote: a column delimiter inside becomes a space');
  const concordance = LOAD_FILE_WRITERS.concordance(dialect);
  t.equal(concordance.row(row, [column('a;þb')]), 'þa;þþbþ\n', 'Concordance: þ whatever the quote, doubled inside');
  const csv = LOAD_FILE_WRITERS.csv({ ...dialect, eol: '\r\n' });
  t.equal(csv.row(row, [column('a,b'), column('q"'), column('l1\nl2'), column('plain')]), '"a,b","q""","l1\nl2",plain\r\n', 'CSV: RFC 4180');
  // A parser we wrote for the tests reads the same values back.
  t.same(parseDelimited(dat.row(row, [column('a;b'), column('say "hi"')]), { column: ';', quote: '"', eol: '\n' }), [['a;b', 'say "hi"']]);
});

t.test('eol reaches every load file: OPT, CSV, Concordance, EDRM-XML', async (t) => {
  for (const eol of ['LF', 'CR'] as const) {
    const end = eol === 'LF' ? '\n' : '\r';
    const res = await postArchive(server.origin, { count: 4, loadFileFormats: ['dat', 'opt', 'csv', 'concordance', 'edrm-xml'], eol, seed: 2 });
    const entries = await readZip(res.body);
    for (const name of ['archive.dat', 'archive.opt', 'archive.csv', 'archive.concordance.dat', 'archive.xml']) {
      const text = entry(entries, name).toString('utf8');
      const other = eol === 'LF' ? '\r' : '\n';
      t.notOk(text.includes(other), `${name} (${eol}): no ${JSON.stringify(other)}`);
      t.ok(text.endsWith(end), `${name} (${eol}) ends with its line end`);
    }
  }
});

t.test('dialects that cannot be written are 400s naming the field', async (t) => {
  const cases: Array<[Record<string, unknown>, string[]]> = [
    [{ delimiters: { column: 'char:,', quote: 'char:,' } }, ['delimiters.quote']],
    [{ delimiters: { column: 'ascii:256' } }, ['delimiters.column']],
    [{ delimiters: { column: 'x' } }, ['delimiters.column']],
    [{ delimiters: { quote: 'nothing' } }, ['delimiters.quote']],
    [{ delimiters: { newline: 'ascii:10' } }, ['delimiters.newline']],
    [{ delimiters: { column: 'ascii:13' } }, ['delimiters.column']],
    [{ delimiters: { tab: 'char:x' } }, ['delimiters.tab']],
    [{ eol: 'CRLF ' }, ['eol']],
    [{ datDelimiters: 'pipe' }, ['datDelimiters']],
    [{ hashAlgorithms: ['md5'] }, ['hashAlgorithms']],
    [{ dateFormat: 'yyyy-QQ-dd' }, ['dateFormat']],
  ];
  for (const [fields, expected] of cases) {
    const res = await send(server.origin, 'POST', '/archives/plan', { count: 1, ...fields });
    t.equal(res.status, 400, JSON.stringify(fields));
    t.same(problemFields(res.body), expected, `names ${expected.join(', ')}`);
  }
  const ok = await send(server.origin, 'POST', '/archives/plan', { count: 1, delimiters: { column: 'ASCII:9', quote: 'NONE', newline: 'char: ' } });
  t.equal(ok.status, 200, 'prefixes in any case; a tab column, no quote, a space for line breaks');
});

t.test('withAudit: a _properties.json after each load file, in Zipper’s schema, records counted', async (t) => {
  const fields = {
    count: 30,
    fileTypes: { tiff: 50, eml: 50 },
    tiffPages: { min: 1, max: 3 },
    withFamilies: true,
    attachmentRate: 50,
    loadFileFormats: ['dat', 'opt', 'csv'],
    delimiters: { column: 'char:+', multiValue: 'char:~' },
    eol: 'LF',
    encoding: 'UTF-16',
    withAudit: true,
    seed: 9,
  };
  const res = await postArchive(server.origin, fields);
  t.equal(res.status, 200);
  const entries = await readZip(res.body);
  const names = entries.map((candidate) => candidate.name).filter((name) => !name.startsWith('folder_'));
  t.same(names, ['archive.dat', 'archive.dat_properties.json', 'archive.opt', 'archive.opt_properties.json', 'archive.csv', 'archive.csv_properties.json']);

  const datText = entry(entries, 'archive.dat').toString('utf16le').replace(/^\ufeff/, '');
  const datRows = parseDelimited(datText, { column: '+', quote: 'þ', eol: '\n' }).length - 1;
  const optLines = entry(entries, 'archive.opt').toString('utf16le').replace(/^\ufeff/, '').split('\n').length - 1;
  const datAuditText = entry(entries, 'archive.dat_properties.json').toString('utf8');
  t.match(datAuditText, /^\{\n {2}"fileName": "archive\.dat",\n {2}"format": "DAT \(Metadata\)",/, 'two-space indent, fields in Zipper’s order');
  t.match(datAuditText, /"column": "char:\\u002B"/, '"+" escaped as System.Text.Json does');
  t.match(datAuditText, /"quote": "ascii:254"/, 'þ shown as ascii:254');
  const datAudit = JSON.parse(datAuditText);
  t.same(datAudit, {
    fileName: 'archive.dat',
    format: 'DAT (Metadata)',
    totalRecords: datRows,
    properties: {
      encoding: 'UTF-16',
      lineEnding: 'LF',
      delimiters: { column: 'char:+', quote: 'ascii:254', newline: 'ascii:174', multiValue: 'char:~', nestedValue: 'char:\\' },
    },
    chaosMode: { enabled: false, totalAnomalies: 0 },
  });
  t.ok(datRows > 30, `rows include the attachments (${datRows})`);
  const optAudit = JSON.parse(entry(entries, 'archive.opt_properties.json').toString('utf8'));
  t.equal(optAudit.format, 'OPT (Image)');
  t.equal(optAudit.totalRecords, optLines, `OPT records are its image lines (${optLines})`);
  t.same(optAudit.properties.delimiters, { column: 'char:,', quote: 'none', newline: 'none', multiValue: 'none', nestedValue: 'none' });
  const csvAudit = JSON.parse(entry(entries, 'archive.csv_properties.json').toString('utf8'));
  t.same([csvAudit.format, csvAudit.totalRecords, csvAudit.properties.delimiters.column, csvAudit.properties.delimiters.quote], ['CSV (Metadata)', datRows, 'char:,', 'char:"']);

  const plan = JSON.parse((await send(server.origin, 'POST', '/archives/plan', fields)).body.toString('utf8'));
  t.same(
    plan.loadFiles.map((loadFile: { auditFile: string; lineEnding: string }) => [loadFile.auditFile, loadFile.lineEnding]),
    [
      ['archive.dat_properties.json', 'LF'],
      ['archive.opt_properties.json', 'LF'],
      ['archive.csv_properties.json', 'LF'],
    ],
  );
  t.equal(plan.entries, entries.length, 'the plan counts the audit files among the entries');
});

t.test('POST /loadfiles gives the archive’s load file byte for byte, whichever of several it is', async (t) => {
  const fields = { count: 20, fileType: 'tiff', tiffPages: { min: 1, max: 4 }, targetSize: '5MB', withMetadata: true, loadFileFormats: ['dat', 'opt'], seed: 140 };
  const entries = await readZip((await postArchive(server.origin, fields)).body);
  for (const format of ['dat', 'opt']) {
    const res = await send(server.origin, 'POST', `/loadfiles?loadFile=${format}`, fields);
    t.equal(res.status, 200);
    t.ok(res.body.equals(entry(entries, `archive.${format}`)), `${format}: the same bytes (File Size values sized for the whole archive)`);
  }
  // With actual hashes of padded documents: /loadfiles renders them to hash, sized as the archive.
  const hashed = { ...fields, hashMode: 'actual', hashAlgorithms: ['md5', 'sha256'] };
  const hashedEntries = await readZip((await postArchive(server.origin, hashed)).body);
  const hashedDat = await send(server.origin, 'POST', '/loadfiles?loadFile=dat', hashed);
  t.ok(hashedDat.body.equals(entry(hashedEntries, 'archive.dat')), 'padded and hashed: the same bytes');
  const sizes = new Map(entries.map((candidate) => [candidate.name, candidate.data.length]));
  const dat = parseDelimited(entry(entries, 'archive.dat').toString('utf8'), { column: '\u0014', quote: 'þ', eol: '\r\n' });
  const sizeAt = dat[0]!.indexOf('File Size');
  t.ok(dat.slice(1).every((row) => Number(row[sizeAt]) === sizes.get(row[1]!)), 'File Size is each entry’s real size');

  const none = await send(server.origin, 'POST', '/loadfiles', fields);
  t.equal(none.status, 400, 'two load files and none named');
  t.same(problemFields(none.body), ['loadFile']);
  const other = await send(server.origin, 'POST', '/loadfiles?loadFile=csv', fields);
  t.equal(other.status, 400, 'a load file the body does not ask for');
  t.same(problemFields(other.body), ['loadFile']);

  // Without a load file in the archive, its documents are sized without one: /loadfiles follows.
  const bare = { count: 10, targetSize: '2MB', withMetadata: true, includeLoadFile: false, seed: 5 };
  const bareEntries = await readZip((await postArchive(server.origin, bare)).body);
  const bareDat = parseDelimited((await send(server.origin, 'POST', '/loadfiles', bare)).body.toString('utf8'), { column: '\u0014', quote: 'þ', eol: '\r\n' });
  const bareSizes = new Map(bareEntries.map((candidate) => [candidate.name, candidate.data.length]));
  t.ok(bareDat.slice(1).every((row) => Number(row[bareDat[0]!.indexOf('File Size')]) === bareSizes.get(row[1]!)), 'includeLoadFile false: sizes still the entries’');
});

t.test('OPT for emails whose attachments are documents: the attachments are listed', async (t) => {
  const res = await send(server.origin, 'POST', '/loadfiles', { count: 10, fileType: 'eml', attachmentRate: 50, withFamilies: true, loadFileFormat: 'opt', seed: 3 });
  t.equal(res.status, 200);
  const lines = res.body.toString('utf8').trimEnd().split('\r\n');
  t.equal(lines.length, 5, 'one line per attachment PDF');
  t.ok(lines.every((line) => /^DOC\d{8}\.0001,VOL001,folder_001\/\d{8}_0001\.pdf,Y,,,1$/.test(line)));
  const refused = await send(server.origin, 'POST', '/loadfiles', { count: 10, fileType: 'eml', attachmentRate: 50, loadFileFormat: 'opt' });
  t.equal(refused.status, 400, 'attachments inside the emails only: nothing to list');
});

t.test('OPT and EDRM-XML read each document’s type and pages even when no column needs more than names', async (t) => {
  const res = await postArchive(server.origin, { count: 6, fileTypes: { pdf: 50, eml: 50 }, loadFileFormats: ['opt', 'edrm-xml'], seed: 8 });
  const entries = await readZip(res.body);
  const pdfs = entries.filter((candidate) => candidate.name.endsWith('.pdf')).map((candidate) => candidate.name);
  const opt = entry(entries, 'archive.opt').toString('utf8').trimEnd().split('\r\n');
  t.same(opt.map((line) => line.split(',')[2]), pdfs, 'a line for every PDF (this was empty without metadata)');
  const xml = entry(entries, 'archive.xml').toString('utf8');
  t.equal((xml.match(/MimeType="message\/rfc822"/g) ?? []).length, 6 - pdfs.length, 'emails typed as messages');
  t.equal((xml.match(/MimeType="application\/pdf"/g) ?? []).length, pdfs.length, 'PDFs as PDFs');
});

t.test('delimiters.multiValue joins the recipients of the fixed column set', async (t) => {
  const fields = { count: 40, fileType: 'eml', loadFileFormat: 'csv', seed: 12 };
  const read = async (extra: Record<string, unknown>) => parseDelimited((await send(server.origin, 'POST', '/loadfiles', { ...fields, ...extra })).body.toString('utf8'), { column: ',', quote: '"', eol: '\r\n' });
  const plain = await read({});
  const tilde = await read({ delimiters: { multiValue: 'char:~' } });
  const to = plain[0]!.indexOf('To');
  const several = plain.slice(1).filter((row) => row[to]!.includes('; '));
  t.ok(several.length > 0, 'some emails have several recipients');
  t.same(
    tilde.slice(1).map((row) => row[to]),
    plain.slice(1).map((row) => row[to]!.split('; ').join('~')),
    'the same recipients, joined by ~',
  );
});
