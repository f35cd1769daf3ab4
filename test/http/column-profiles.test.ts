import t from 'tap';
import { simpleParser } from 'mailparser';
import UTIF from 'utif';
import { startServer, postArchive, send } from '../helpers/server.js';
import { readZip, type ZipEntry } from '../helpers/zip.js';
import { parseDat } from '../helpers/dat.js';

const server = await startServer();
t.teardown(() => server.close());

const byName = (entries: ZipEntry[]) => new Map(entries.map((entry) => [entry.name, entry]));

// Zipper's built-in headers, written out from notes §4.2 (not read from the service's data module).
const STANDARD = [
  'DOCID', 'BEGBATES', 'ENDBATES', 'CONTROLNUMBER', 'FILEPATH', 'TEXTPATH', 'NATIVEPATH', 'FILENAME', 'FILEEXT', 'FILESIZE',
  'DATECREATED', 'DATEMODIFIED', 'DATESENT', 'DATERECEIVED', 'CUSTODIAN', 'AUTHOR', 'EMAILFROM', 'EMAILTO', 'EMAILCC',
  'DOCTYPE', 'DEPARTMENT', 'RESPONSIVE', 'PRIVILEGED', 'CONFIDENTIAL',
];
const LITIGATION = [
  'DOCID', 'BEGBATES', 'ENDBATES', 'CONTROLNUMBER', 'BEGATTACH', 'ENDATTACH', 'PARENTDOCID', 'FAMILYID', 'FILEPATH', 'TEXTPATH',
  'NATIVEPATH', 'FILENAME', 'FILEEXT', 'FILESIZE', 'PAGECOUNT', 'WORDCOUNT', 'CHARCOUNT', 'DATECREATED', 'DATEMODIFIED', 'DATESENT',
  'DATERECEIVED', 'DATEPRODUCED', 'CUSTODIAN', 'AUTHOR', 'EMAILFROM', 'EMAILTO', 'EMAILCC', 'EMAILBCC', 'EMAILSUBJECT',
  'CONVERSATIONID', 'MESSAGEID', 'DOCTYPE', 'DEPARTMENT', 'PRIVILEGE', 'RESPONSIVE', 'CONFIDENTIALITY', 'LANGUAGE', 'ISRESPONSIVE',
  'ISPRIVILEGED', 'ISCONFIDENTIAL', 'HASATTACHMENTS', 'ISNATIVE', 'NEEDSREDACTION', 'MD5HASH', 'SHA1HASH', 'SHA256HASH',
  'REVIEWNOTES', 'REDACTIONREASON',
];
const numbered = (prefix: string, count: number) => Array.from({ length: count }, (_, k) => `${prefix}${String(k + 1).padStart(2, '0')}`);
const FULL = [
  ...LITIGATION,
  ...numbered('CUSTOMTEXT', 20), ...numbered('CUSTOMDATE', 15), ...numbered('CUSTOMNUMBER', 15), ...numbered('CUSTOMBOOL', 10),
  ...numbered('ISSUETAG', 5), ...numbered('NOTES', 10), 'PRODUCTIONSTATUS', 'REVIEWSTATUS', 'QCSTATUS', 'ENCODING', 'TIMEZONE',
  ...numbered('TAG', 10),
];
const HEADERS: Record<string, string[]> = {
  minimal: ['DOCID', 'FILEPATH', 'CUSTODIAN', 'DATECREATED', 'FILESIZE'],
  standard: STANDARD,
  litigation: LITIGATION,
  full: FULL,
};
const REQUIRED = ['DOCID', 'FILEPATH', 'BEGBATES', 'ENDBATES', 'CONTROLNUMBER', 'FILENAME', 'FILEEXT'];

async function loadFile(fields: object): Promise<{ header: string[]; rows: string[][] }> {
  const res = await send(server.origin, 'POST', '/loadfiles', fields);
  if (res.status !== 200) throw new Error(`${res.status}: ${res.body.toString('utf8')}`);
  return parseDat(res.body, 'UTF-8');
}

/** An archive's entries by name, its DAT, and a column's index in it. */
async function archiveDat(fields: object) {
  const entries = byName(await readZip((await postArchive(server.origin, fields)).body));
  const dat = parseDat(entries.get('archive.dat')!.data, 'UTF-8');
  return { entries, dat, at: (name: string) => dat.header.indexOf(name) };
}

async function problemFields(fields: object): Promise<string[]> {
  const res = await send(server.origin, 'POST', '/loadfiles', fields);
  if (res.status !== 400) throw new Error(`expected 400, got ${res.status}`);
  return JSON.parse(res.body.toString('utf8')).errors.map((error: { field: string }) => error.field);
}

t.test("built-in profiles: Zipper's headers, one row per document, every row as wide as the header, required columns filled", async (t) => {
  t.same([HEADERS.minimal!.length, STANDARD.length, LITIGATION.length, FULL.length], [5, 24, 48, 138], 'the expected lists themselves');
  for (const [profile, expected] of Object.entries(HEADERS)) {
    const dat = await loadFile({ count: 300, columnProfile: profile.toUpperCase(), seed: 5 });
    t.same(dat.header, expected, `${profile}: header`);
    t.equal(dat.rows.length, 300, `${profile}: rows`);
    t.ok(dat.rows.every((row) => row.length === expected.length), `${profile}: every row has ${expected.length} fields`);
    for (const name of REQUIRED.filter((column) => expected.includes(column))) {
      const at = dat.header.indexOf(name);
      t.ok(dat.rows.every((row) => row[at] !== ''), `${profile}: ${name} never empty`);
    }
    const plan = JSON.parse((await send(server.origin, 'POST', '/archives/plan', { count: 3, columnProfile: profile, loadFileFormats: ['dat', 'csv', 'concordance'] })).body.toString('utf8'));
    for (const planned of plan.loadFiles) t.same(planned.columns, expected, `${profile}: the plan lists the ${planned.format} columns`);
  }
});

t.test('emptyPercentage: optional columns blank at that rate over 10,000 rows, required and archive columns never', async (t) => {
  const dat = await loadFile({ count: 10_000, columnProfile: 'standard', emptyPercentage: 40, seed: 9 });
  const share = (name: string) => dat.rows.filter((row) => row[dat.header.indexOf(name)] === '').length / dat.rows.length;
  const generated = ['DATECREATED', 'DATEMODIFIED', 'DATESENT', 'DATERECEIVED', 'CUSTODIAN', 'AUTHOR', 'EMAILFROM', 'EMAILTO', 'DOCTYPE', 'DEPARTMENT', 'RESPONSIVE', 'PRIVILEGED', 'CONFIDENTIAL'];
  for (const name of generated) t.ok(Math.abs(share(name) - 0.4) <= 0.03, `${name}: ${(share(name) * 100).toFixed(1)} % blank`);
  // EMAILCC draws 0 … 10 addresses: 0 of them is blank too (1 in 11 of the filled 60 %).
  t.ok(Math.abs(share('EMAILCC') - (0.4 + 0.6 / 11)) <= 0.03, `EMAILCC: ${(share('EMAILCC') * 100).toFixed(1)} % blank`);
  for (const name of [...REQUIRED, 'NATIVEPATH', 'FILESIZE']) t.equal(share(name), 0, `${name} never blank`);

  const none = await loadFile({ count: 2000, columnProfile: 'standard', emptyPercentage: 0, seed: 9 });
  const blank = none.header.filter((name, at) => name !== 'TEXTPATH' && none.rows.some((row) => row[at] === ''));
  t.same(blank, [], 'at 0 % no column is ever blank (a multi-value minimum of 0 becomes 1)');
  t.ok(none.rows.every((row) => row[none.header.indexOf('TEXTPATH')] === ''), 'TEXTPATH is blank without withText: there is no text file');

  // The profile's own rates otherwise: standard's EMAILCC at 50 %, DEPARTMENT at 20 %, CUSTODIAN at 0 %.
  const own = await loadFile({ count: 10_000, columnProfile: 'standard', seed: 9 });
  const ownShare = (name: string) => own.rows.filter((row) => row[own.header.indexOf(name)] === '').length / own.rows.length;
  t.ok(Math.abs(ownShare('DEPARTMENT') - 0.2) <= 0.03, `DEPARTMENT: ${(ownShare('DEPARTMENT') * 100).toFixed(1)} % blank`);
  t.ok(Math.abs(ownShare('DOCTYPE') - 0.1) <= 0.03, `DOCTYPE (settings' 10 %): ${(ownShare('DOCTYPE') * 100).toFixed(1)} % blank`);
  t.equal(ownShare('CUSTODIAN'), 0, 'CUSTODIAN: 0 %');
});

const CUSTOM = {
  Name: 'matter-42',
  FieldNamingConvention: 'PascalCase',
  SETTINGS: { emptyValuePercentage: 0, dateFormat: 'dd/MM/yyyy', multiValueDelimiter: '|' },
  dataSources: {
    custodians: { values: ['Ann', 'Bob', 'Cid', 'Dee', 'Eve'], distribution: 'uniform' },
    review: { values: ['Never', 'Always', 'Sometimes'], weights: [0, 3, 1], distribution: 'weighted' },
    issues: { count: 6, prefix: 'Issue ', distribution: 'uniform' },
  },
  columns: [
    { name: 'doc_id', type: 'IDENTIFIER', required: true },
    { Name: 'file path', Type: 'text', Required: true },
    { name: 'CUSTODIAN', type: 'coded', dataSource: 'custodians' },
    { name: 'reviewState', type: 'coded', dataSource: 'review' },
    { name: 'ISSUES', type: 'coded', dataSource: 'issues', multiValue: true, multiValueCount: { min: 2, max: 3 } },
    { name: 'hot', type: 'boolean', format: 'truefalse', truePercentage: 100 },
    { name: 'score', type: 'number', range: { min: 10, max: 20 }, distribution: 'gaussian' },
    { name: 'created', type: 'date', dateRange: { min: '2021-03-01', max: '2021-03-31' } },
    { name: 'sent_on', type: 'datetime', dateRange: { min: '2022-01-01', max: '2022-01-01' }, format: 'yyyy-MM-dd HH:mm' },
    { name: 'memo', type: 'text' },
    { name: 'MD5_HASH', type: 'text', generator: 'md5Hash' },
  ],
};

t.test('a custom profile round-trips: keys in any case, naming convention, data sources, generators', async (t) => {
  const dat = await loadFile({ count: 400, columnProfile: CUSTOM, custodianCount: 3, seed: 2 });
  t.same(dat.header, ['DocId', 'FilePath', 'Custodian', 'ReviewState', 'Issues', 'Hot', 'Score', 'Created', 'SentOn', 'Memo', 'Md5Hash'], 'PascalCase header');
  const column = (name: string) => dat.rows.map((row) => row[dat.header.indexOf(name)]!);
  t.same(column('DocId').slice(0, 2), ['DOC00000001', 'DOC00000002'], 'identifier: the control number');
  t.ok(column('FilePath').every((path) => /^folder_001\/\d{8}\.pdf$/.test(path)), 'FILE PATH: the entry path');
  t.same([...new Set(column('Custodian'))].sort(), ['Ann', 'Bob', 'Cid'], 'custodianCount 3 truncates the custodians');
  const review = column('ReviewState');
  t.notOk(review.includes('Never'), 'weight 0 is never drawn');
  const always = review.filter((value) => value === 'Always').length / review.length;
  t.ok(always > 0.65 && always < 0.85, `weights 3:1 followed: ${(always * 100).toFixed(1)} % Always`);
  t.ok(column('Issues').every((value) => { const parts = value.split('|'); return parts.length >= 2 && parts.length <= 3 && new Set(parts).size === parts.length && parts.every((part) => /^Issue [1-6]$/.test(part)); }), 'multi-value: 2–3 distinct values joined with the profile delimiter');
  t.ok(column('Hot').every((value) => value === 'True'), 'truefalse at 100 %');
  const scores = column('Score').map(Number);
  t.ok(scores.every((score) => Number.isInteger(score) && score >= 10 && score <= 20), 'gaussian numbers within the range');
  t.ok(column('Created').every((value) => /^(0[1-9]|[12]\d|3[01])\/03\/2021$/.test(value)), 'dates in range, in the profile format');
  t.ok(column('SentOn').every((value) => /^2022-01-01 \d{2}:\d{2}$/.test(value)), 'datetime with its own format');
  t.same(column('Memo').slice(0, 2), ['Value_1_memo', 'Value_2_memo'], 'text without a generator: Value_{n}_{column}');
  t.ok(column('Md5Hash').every((value) => /^[0-9a-f]{32}$/.test(value)), 'md5Hash generator: 32 hex digits');

  // The same profile as a query string; dateFormat replaces the profile's date format.
  const query = new URLSearchParams({ count: '3', seed: '2', columnProfile: JSON.stringify(CUSTOM), dateFormat: 'yyyy.MM.dd' });
  const fromQuery = parseDat(byName(await readZip((await send(server.origin, 'GET', `/archives?${query}`)).body)).get('archive.dat')!.data, 'UTF-8');
  t.same(fromQuery.header, dat.header, 'GET with the profile as JSON in the query string: the same columns');
  const dotted = await loadFile({ count: 20, columnProfile: CUSTOM, dateFormat: 'yyyy.MM.dd', seed: 2 });
  t.ok(dotted.rows.every((row) => /^2021\.03\.\d{2}$/.test(row[7]!)), 'dateFormat replaces settings.dateFormat');
  t.ok(dotted.rows.every((row) => /^2022-01-01 /.test(row[8]!)), 'a column with its own format keeps it');
});

t.test("a column's values do not depend on the other columns, nor on the format", async (t) => {
  const without = { ...CUSTOM, columns: CUSTOM.columns.filter((column) => column.name !== 'CUSTODIAN') };
  const all = await loadFile({ count: 200, columnProfile: CUSTOM, seed: 4 });
  const fewer = await loadFile({ count: 200, columnProfile: without, seed: 4 });
  for (const name of fewer.header) {
    t.same(fewer.rows.map((row) => row[fewer.header.indexOf(name)]), all.rows.map((row) => row[all.header.indexOf(name)]), `${name}: same values`);
  }
  const concordance = await send(server.origin, 'POST', '/loadfiles', { count: 200, columnProfile: CUSTOM, seed: 4, loadFileFormat: 'concordance' });
  const parsed = parseDat(concordance.body, 'UTF-8');
  t.same(parsed, all, 'Concordance: the same header names and values (no END… companions)');
});

t.test('validation: every rule of a custom profile is a 400 naming its path', async (t) => {
  const id = { name: 'ID', type: 'identifier' };
  const profile = (extra: object) => ({ count: 1, columnProfile: { name: 'p', columns: [id], ...extra } });
  const cases: Array<[string, object, string[]]> = [
    ['blank name', profile({ name: '  ' }), ['columnProfile.name']],
    ['unknown naming convention', profile({ fieldNamingConvention: 'kebab' }), ['columnProfile.fieldNamingConvention']],
    ['no columns', profile({ columns: [] }), ['columnProfile.columns']],
    ['over 200 columns', profile({ columns: [id, ...Array.from({ length: 200 }, (_, k) => ({ name: `C${k}`, type: 'text' }))] }), ['columnProfile.columns']],
    ['duplicate name (case-insensitive)', profile({ columns: [id, { name: 'id', type: 'text' }] }), ['columnProfile.columns[1].name']],
    ['no identifier column', profile({ columns: [{ name: 'A', type: 'text' }] }), ['columnProfile.columns']],
    ['undefined data source', profile({ columns: [id, { name: 'A', type: 'text' }, { name: 'B', type: 'coded', dataSource: 'nope' }] }), ['columnProfile.columns[2].dataSource']],
    ['unknown type', profile({ columns: [id, { name: 'A', type: 'text' }, { name: 'B', type: 'text' }, { name: 'C', type: 'picture' }] }), ['columnProfile.columns[3].type']],
    ['unparseable date range', profile({ columns: [{ ...id, dateRange: { min: '2020-02-30', max: '2021-01-01' } }] }), ['columnProfile.columns[0].dateRange']],
    ['date range min after max', profile({ columns: [{ ...id, dateRange: { min: '2022-01-01', max: '2021-01-01' } }] }), ['columnProfile.columns[0].dateRange']],
    ['emptyPercentage over 100', profile({ columns: [id, { name: 'A', type: 'text', emptyPercentage: 101 }] }), ['columnProfile.columns[1].emptyPercentage']],
    ['truePercentage below 0', profile({ columns: [id, { name: 'A', type: 'boolean', truePercentage: -1 }] }), ['columnProfile.columns[1].truePercentage']],
    ['more weights than values', profile({ dataSources: { s: { values: ['a', 'b'], weights: [1, 2, 3] } } }), ['columnProfile.dataSources.s.weights']],
    ['unknown key', profile({ columns: [{ ...id, colour: 'red' }] }), ['columnProfile.columns[0].colour']],
    ['a date format we cannot write', profile({ columns: [id, { name: 'D', type: 'date', format: 'dddd, MMMM d' }] }), ['columnProfile.columns[1].format']],
  ];
  for (const [label, fields, paths] of cases) t.same(await problemFields(fields), paths, label);

  const everything = profile({
    name: '',
    dataSources: { s: { values: ['a'], weights: [1, 1] } },
    columns: [{ name: 'A', type: 'picture' }, { name: 'a', type: 'text', dataSource: 'nope' }, { name: 'B', type: 'date', dateRange: { min: 'x', max: 'y' } }],
  });
  t.same(
    (await problemFields(everything)).sort(),
    ['columnProfile.columns', 'columnProfile.columns[0].type', 'columnProfile.columns[1].dataSource', 'columnProfile.columns[1].name', 'columnProfile.columns[2].dateRange', 'columnProfile.dataSources.s.weights', 'columnProfile.name'].sort(),
    'one answer lists every bad path',
  );
  const query = new URLSearchParams({ count: '1', columnProfile: JSON.stringify({ name: 'p', columns: [{ ...id, colour: 1 }] }) });
  const fromQuery = await send(server.origin, 'GET', `/archives?${query}`);
  t.same(JSON.parse(fromQuery.body.toString('utf8')).errors.map((error: { field: string }) => error.field), ['columnProfile.columns[0].colour'], 'query string: the same path');
  t.same(await problemFields({ count: 1, columnProfile: 'enormous' }), ['columnProfile'], 'an unknown built-in name');
  t.same(await problemFields({ count: 1, custodianCount: 5 }), ['custodianCount'], 'custodianCount needs a profile');
});

t.test('values stay true to the archive: sizes, paths, pages, Bates, text paths', async (t) => {
  const fields = { count: 30, fileType: 'tiff', tiffPages: { min: 1, max: 4 }, withText: true, bates: { prefix: 'B', start: 1, digits: 6 }, columnProfile: 'litigation', emptyPercentage: 90, seed: 7 };
  const { entries, dat, at } = await archiveDat(fields);
  let page = 1;
  for (const row of dat.rows) {
    const path = row[at('FILEPATH')]!;
    const native = entries.get(path);
    t.ok(native, `${path} is an entry`);
    t.equal(Number(row[at('FILESIZE')]), native!.data.length, `${path}: FILESIZE is the entry's size`);
    t.equal(Number(row[at('PAGECOUNT')]), UTIF.decode(native!.data).length, `${path}: PAGECOUNT is its TIFF's pages`);
    t.equal(row[at('NATIVEPATH')], path);
    t.equal(row[at('FILENAME')], path.slice(path.lastIndexOf('/') + 1));
    t.equal(row[at('FILEEXT')], 'tiff');
    t.ok(entries.has(row[at('TEXTPATH')]!), 'TEXTPATH is an entry');
    t.equal(row[at('BEGBATES')], `B${String(page).padStart(6, '0')}`, 'BEGBATES: first page');
    page += Number(row[at('PAGECOUNT')]);
    t.equal(row[at('ENDBATES')], `B${String(page - 1).padStart(6, '0')}`, 'ENDBATES: last page');
    t.same([row[at('BEGATTACH')], row[at('ENDATTACH')], row[at('PARENTDOCID')]], ['', '', ''], 'no families: blank family columns');
  }
});

t.test('emails with families: email columns agree with the .eml; attachment rows blank them and carry the family', async (t) => {
  const fields = { count: 40, fileType: 'eml', attachmentRate: 50, withFamilies: true, columnProfile: 'litigation', seed: 11 };
  const { entries, dat, at } = await archiveDat(fields);
  let children = 0;
  for (const row of dat.rows) {
    const path = row[at('FILEPATH')]!;
    t.equal(Number(row[at('FILESIZE')]), entries.get(path)!.data.length, `${path}: real size`);
    if (row[at('PARENTDOCID')] !== '') {
      children++;
      const blank = dat.header.filter((name) => name === 'DATESENT' || name === 'AUTHOR' || name.startsWith('EMAIL'));
      t.same(blank.map((name) => row[at(name)]), blank.map(() => ''), `${row[0]}: sent date, author, email columns blank on an attachment`);
      t.equal(row[at('BEGATTACH')], row[at('PARENTDOCID')], 'family begins with the parent');
      continue;
    }
    const mail = await simpleParser(entries.get(path)!.data);
    t.equal(row[at('EMAILFROM')], mail.from!.value[0]!.address, `${path}: EMAILFROM`);
    const to = (Array.isArray(mail.to) ? mail.to : [mail.to!]).flatMap((group) => group.value.map((mailbox) => mailbox.address));
    t.same(row[at('EMAILTO')]!.split(';'), to, `${path}: EMAILTO`);
    t.equal(row[at('EMAILSUBJECT')], mail.subject, `${path}: EMAILSUBJECT`);
    t.equal(row[at('DATESENT')], mail.date!.toISOString().replace(/\.\d{3}Z$/, 'Z'), `${path}: DATESENT`);
    t.equal(row[at('EMAILCC')], '', 'no Cc in the .eml');
  }
  t.ok(children > 5, `${children} attachment rows`);
});

t.test('withCollectionMetadata: five columns after the email columns without a profile, appended with one', async (t) => {
  const fields = { count: 200, fileType: 'eml', withMetadata: true, withCollectionMetadata: true, bates: { prefix: 'X' }, loadFileFormats: ['dat', 'csv', 'concordance'], seed: 3 };
  const entries = byName(await readZip((await postArchive(server.origin, fields)).body));
  const dat = parseDat(entries.get('archive.dat')!.data, 'UTF-8');
  t.same(dat.header.slice(dat.header.indexOf('Attachment') + 1), ['Data Source', 'Collection Date', 'De-Nisted', 'Dedupe Group ID', 'Processing Status', 'Bates Number']);
  const concordance = parseDat(entries.get('archive.concordance.dat')!.data, 'UTF-8');
  t.same(concordance.header.slice(concordance.header.indexOf('ATTACHMENT') + 1, -2), ['DATA_SOURCE', 'COLLECTION_DATE', 'DENISTED', 'DEDUPE_GROUP_ID', 'PROCESSING_STATUS']);
  const csvHeader = entries.get('archive.csv')!.data.toString('utf8').split('\r\n')[0]!.split(',');
  t.same(csvHeader.slice(csvHeader.indexOf('Attachment') + 1), ['DATA_SOURCE', 'COLLECTION_DATE', 'DENISTED', 'DEDUPE_GROUP_ID', 'PROCESSING_STATUS', 'Bates Number']);
  const check = (rows: string[][], header: string[], names: string[], label: string) => {
    const [source, date, denisted, group, status] = names.map((name) => header.indexOf(name));
    const sources = new Set(['Email Server', 'Network Share', 'Cloud Storage', 'Mobile Device', 'Laptop', 'Desktop', 'Server', 'External Media']);
    const statuses = new Set(['Processed', 'Pending Review', 'Approved', 'Privileged', 'Redacted', 'Produced']);
    t.ok(rows.every((row) => sources.has(row[source!]!)), `${label}: data sources`);
    t.ok(rows.every((row) => /^2024-12-(0[2-9]|[12]\d|3[01])$/.test(row[date!]!)), `${label}: collected 1–29 days before 2025-01-01`);
    t.ok(rows.every((row) => row[denisted!] === 'YES' || row[denisted!] === 'NO'), `${label}: YES/NO`);
    const yes = rows.filter((row) => row[denisted!] === 'YES').length / rows.length;
    t.ok(yes > 0.75 && yes < 0.95, `${label}: ${(yes * 100).toFixed(0)} % de-NISTed`);
    t.ok(rows.every((row) => /^GRP\d{6}$/.test(row[group!]!)), `${label}: GRPnnnnnn`);
    t.ok(rows.every((row) => statuses.has(row[status!]!)), `${label}: statuses`);
  };
  check(dat.rows, dat.header, ['Data Source', 'Collection Date', 'De-Nisted', 'Dedupe Group ID', 'Processing Status'], 'no profile');

  const profiled = await loadFile({ count: 200, fileType: 'eml', columnProfile: 'minimal', withCollectionMetadata: true, emptyPercentage: 100, seed: 3 });
  const names = ['DATA_SOURCE', 'COLLECTION_DATE', 'DENISTED', 'DEDUPE_GROUP_ID', 'PROCESSING_STATUS'];
  t.same(profiled.header, [...HEADERS.minimal!, ...names], 'appended to the profile');
  check(profiled.rows, profiled.header, names, 'profile (required: never blank, even at 100 %)');
  t.same(profiled.rows.map((row) => row.slice(5)), dat.rows.map((row) => row.slice(dat.header.indexOf('Data Source'), dat.header.indexOf('Data Source') + 5)), 'the same values as without the profile');

  const without = await loadFile({ count: 5, fileType: 'eml', withMetadata: true, seed: 3 });
  t.notOk(without.header.includes('Data Source'), 'absent unless asked');
});
