import t from 'tap';
import { startServer, postArchive, send } from '../helpers/server.js';
import { readZip, type ZipEntry } from '../helpers/zip.js';
import { Permutation } from '../../src/generator/chaos/permutation.js';

const server = await startServer();
t.teardown(() => server.close());

interface Anomaly {
  target: string;
  file: string;
  line: number;
  recordId: string;
  column: string;
  type: string;
  description: string;
}

const entry = (entries: ZipEntry[], name: string) => {
  const found = entries.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no entry ${name}`);
  return found.data;
};
const keyOf = (entries: ZipEntry[]) => (JSON.parse(entry(entries, 'archive_anomalies.json').toString('utf8')) as { anomalies: Anomaly[] }).anomalies;
const problemFields = (body: Buffer) => (JSON.parse(body.toString('utf8')) as { errors: Array<{ field: string }> }).errors.map((error) => error.field);

t.test('a seeded permutation: every value once, inverse exact, at sizes around powers of four', async (t) => {
  for (const size of [1, 2, 3, 4, 5, 15, 16, 17, 1000, 4097]) {
    const permutation = new Permutation(size, 42, 7);
    const seen = new Set<number>();
    let outside = 0;
    let notInverted = 0;
    for (let x = 0; x < size; x++) {
      const y = permutation.permute(x);
      if (y < 0 || y >= size) outside++;
      if (permutation.invert(y) !== x) notInverted++;
      seen.add(y);
    }
    t.same([seen.size, outside, notInverted], [size, 0, 0], `size ${size}: a permutation, inverted exactly`);
  }
  const a = new Permutation(1000, 1, 1);
  const b = new Permutation(1000, 2, 1);
  t.not(Array.from({ length: 20 }, (_, x) => a.permute(x)).join(), Array.from({ length: 20 }, (_, x) => b.permute(x)).join(), 'another seed, another order');
});

t.test('counts: N lines or P % of each load file’s lines (the header counted), types round-robin', async (t) => {
  const fields = { count: 199, withMetadata: true, loadFileFormats: ['dat', 'csv'], seed: 3 };
  const exact = keyOf(await readZip((await postArchive(server.origin, { ...fields, chaos: { amount: 7 } })).body));
  for (const file of ['archive.dat', 'archive.csv']) t.equal(exact.filter((anomaly) => anomaly.file === file).length, 7, `${file}: exactly 7`);
  const percent = keyOf(await readZip((await postArchive(server.origin, { ...fields, chaos: { amount: '10%', types: ['quotes', 'columns'] } })).body));
  t.equal(percent.length, 20, '10 % of 200 lines, DAT only (the CSV types were not asked for)');
  t.same(new Set(percent.map((anomaly) => anomaly.file)), new Set(['archive.dat']));
  const byType = (type: string) => percent.filter((anomaly) => anomaly.type === type).length;
  t.same([byType('quotes'), byType('columns')], [10, 10], 'dealt evenly');
  const lines = percent.map((anomaly) => anomaly.line);
  t.same(lines, [...lines].sort((a, b) => a - b), 'in file order');
  t.equal(new Set(lines).size, 20, 'twenty different lines');
  const tiny = keyOf(await readZip((await postArchive(server.origin, { count: 5, chaos: {}, seed: 1 })).body));
  t.equal(tiny.length, 1, '1 % of 6 lines is still one (at least one, as Zipper counts)');
  const all = keyOf(await readZip((await postArchive(server.origin, { count: 5, chaos: { amount: 50 }, seed: 1 })).body));
  t.equal(all.length, 6, 'a count above the lines breaks every line');
});

t.test('the same request and seed give the same key and bytes; the plan lists the same key; /loadfiles the same file', async (t) => {
  const fields = { count: 300, fileTypes: { eml: 50, pdf: 50 }, attachmentRate: 30, withFamilies: true, loadFileFormats: ['dat', 'opt', 'edrm-xml'], chaos: { amount: '5%' }, seed: 11 };
  const first = await postArchive(server.origin, fields);
  const second = await postArchive(server.origin, fields);
  t.ok(first.body.equals(second.body), 'byte-identical archives');
  const entries = await readZip(first.body);
  const key = keyOf(entries);
  t.ok(key.length > 20);
  const plan = JSON.parse((await send(server.origin, 'POST', '/archives/plan', fields)).body.toString('utf8'));
  t.same(plan.anomalies, key, 'the plan’s anomalies are the archive’s key');
  t.equal(plan.entries, entries.length, 'the plan counts the key and the audit files');
  const other = keyOf(await readZip((await postArchive(server.origin, { ...fields, seed: 12 })).body));
  t.not(other.map((anomaly) => `${anomaly.file}:${anomaly.line}`).join(), key.map((anomaly) => `${anomaly.file}:${anomaly.line}`).join(), 'another seed breaks other lines');
  for (const [format, name] of [['dat', 'archive.dat'], ['opt', 'archive.opt'], ['edrm-xml', 'archive.xml']] as const) {
    const res = await send(server.origin, 'POST', `/loadfiles?loadFile=${format}`, fields);
    t.ok(res.body.equals(entry(entries, name)), `/loadfiles ${format}: the archive’s bytes`);
    t.equal(res.headers['x-zipper-anomalies'], String(key.filter((anomaly) => anomaly.file === name).length), `${format}: X-Zipper-Anomalies`);
  }
  // Record ids name the row: an attachment's row its own control number (eol splits field 1 itself).
  const dat = entry(entries, 'archive.dat').toString('utf8').split('\r\n');
  for (const anomaly of key.filter((candidate) => candidate.file === 'archive.dat' && !['encoding', 'eol'].includes(candidate.type) && candidate.line > 1)) {
    const line = dat[anomaly.line - 1 + key.filter((candidate) => candidate.file === 'archive.dat' && candidate.type === 'eol' && candidate.line < anomaly.line).length]!;
    t.ok(line.includes(anomaly.recordId), `line ${anomaly.line} is ${anomaly.recordId}`);
  }
  const audit = JSON.parse(entry(entries, 'archive.opt_properties.json').toString('utf8'));
  t.equal(audit.chaosMode.totalAnomalies, key.filter((anomaly) => anomaly.file === 'archive.opt').length, 'the audit file counts the same');
  t.equal(audit.chaosMode.targetAmount, '5%');
  t.same(
    audit.chaosMode.injectedAnomalies.map((anomaly: { lineNumber: string; errorType: string }) => [anomaly.lineNumber, anomaly.errorType]),
    key.filter((anomaly) => anomaly.file === 'archive.opt').map((anomaly) => [String(anomaly.line), anomaly.type]),
    'and lists the same lines (Zipper’s schema: lineNumber as a string)',
  );
});

t.test('GET /archives takes chaos as JSON in the query string', async (t) => {
  const query = new URLSearchParams({ count: '50', chaos: JSON.stringify({ scenario: 'field-overflow' }), seed: '2' });
  const res = await send(server.origin, 'GET', `/archives?${query}`);
  t.equal(res.status, 200);
  const key = keyOf(await readZip(res.body));
  t.equal(key.length, 1, '2 % of 51 lines, at least one');
  t.ok(key.every((anomaly) => ['eol', 'columns'].includes(anomaly.type)), 'the scenario’s types');
});

t.test('bad chaos fields are 400s naming the field', async (t) => {
  const cases: Array<[Record<string, unknown>, string[]]> = [
    [{ chaos: { types: ['quotes', 'nonsense'] } }, ['chaos.types[1]']],
    [{ chaos: { scenario: 'full-chaos', types: ['quotes'] } }, ['chaos.scenario']],
    [{ chaos: { scenario: 'broken-boundaries' } }, ['chaos.scenario']],
    [{ chaos: { types: ['opt-path'] } }, ['chaos.types[0]']],
    [{ chaos: { amount: 0 } }, ['chaos.amount']],
    [{ chaos: { amount: -3 } }, ['chaos.amount']],
    [{ chaos: { amount: '0%' } }, ['chaos.amount']],
    [{ chaos: { amount: '101%' } }, ['chaos.amount']],
    [{ chaos: { amount: 'lots' } }, ['chaos.amount']],
    [{ chaos: { amount: 2.5 } }, ['chaos.amount']],
    [{ chaos: { typo: 1 } }, ['chaos.typo']],
  ];
  for (const [fields, expected] of cases) {
    const res = await send(server.origin, 'POST', '/archives', { count: 10, ...fields });
    t.equal(res.status, 400, JSON.stringify(fields));
    t.same(problemFields(res.body), expected, `names ${expected.join(', ')}`);
    t.notOk(res.headers['content-type']?.includes('zip'), 'before a byte of archive');
  }
  t.equal((await send(server.origin, 'POST', '/archives/plan', { count: 10, chaos: { amount: '2.5%' } })).status, 200, 'a fractional percentage is fine');
});

t.test('documents and the archive: exact counts, entries as the plan says, File Size and hashes of the stored bytes', async (t) => {
  const types = ['doc-truncated', 'doc-corrupt', 'doc-zero-byte', 'doc-wrong-extension', 'doc-size-mismatch', 'doc-missing', 'doc-extra', 'zip-duplicate-name'];
  const fields = { count: 200, fileTypes: { pdf: 30, jpg: 20, tiff: 20, eml: 30 }, withMetadata: true, hashMode: 'actual', chaos: { types, amount: 14 }, seed: 21 };
  const res = await postArchive(server.origin, fields);
  t.equal(res.status, 200);
  const entries = await readZip(res.body);
  const key = keyOf(entries);
  t.equal(key.filter((anomaly) => anomaly.target === 'document').length, 14, '14 documents');
  t.equal(key.filter((anomaly) => anomaly.target === 'archive').length, 14, '14 entries twice');
  for (const type of types.slice(0, 7)) t.equal(key.filter((anomaly) => anomaly.type === type).length, 2, `${type}: dealt twice`);
  const plan = JSON.parse((await send(server.origin, 'POST', '/archives/plan', fields)).body.toString('utf8'));
  t.same(plan.anomalies, key);
  t.equal(plan.entries, entries.length, 'the plan counts missing, extra and duplicate entries');
  const documents = new Set(key.filter((anomaly) => anomaly.target === 'document').map((anomaly) => anomaly.recordId));
  t.equal(new Set(key.filter((anomaly) => anomaly.target === 'archive').map((anomaly) => anomaly.recordId).filter((id) => documents.has(id))).size, 0, 'no document is both');

  const dat = entry(entries, 'archive.dat').toString('utf8').trimEnd().split('\r\n').map((line) => line.split('\u0014').map((field) => field.slice(1, -1)));
  const [header, ...rows] = dat;
  const size = header!.indexOf('File Size');
  const md5 = header!.indexOf('MD5HASH');
  const { createHash } = await import('node:crypto');
  const byName = new Map(entries.map((candidate) => [candidate.name, candidate.data]));
  for (const row of rows) {
    const data = byName.get(row[1]!);
    const anomaly = key.find((candidate) => candidate.target === 'document' && candidate.file === row[1]);
    if (!data) {
      t.equal(anomaly?.type, 'doc-missing', `${row[1]} absent: listed as doc-missing`);
      continue;
    }
    if (anomaly?.type === 'doc-size-mismatch') t.not(Number(row[size]), data.length, `${row[1]}: File Size off`);
    else if (Number(row[size]) !== data.length) t.fail(`${row[1]}: File Size ${row[size]}, entry ${data.length} (${anomaly?.type ?? 'no anomaly'})`);
    if (createHash('md5').update(data).digest('hex') !== row[md5]) t.fail(`${row[1]}: MD5 of the stored bytes (${anomaly?.type ?? 'no anomaly'})`);
  }
  for (const anomaly of key.filter((candidate) => candidate.type === 'doc-zero-byte')) t.equal(byName.get(anomaly.file)?.length, 0, `${anomaly.file} is empty`);
  for (const anomaly of key.filter((candidate) => candidate.type === 'doc-extra')) t.ok(byName.has(anomaly.file) && anomaly.file.includes('_extra.'), `${anomaly.file} is there`);
  for (const anomaly of key.filter((candidate) => candidate.type === 'zip-duplicate-name')) t.equal(entries.filter((candidate) => candidate.name === anomaly.file).length, 2, `${anomaly.file} twice`);
});
