import t from 'tap';
import { startServer, postArchive } from '../helpers/server.js';
import { readZip, countsPerFolder } from '../helpers/zip.js';
import { parseDat } from '../helpers/dat.js';

const server = await startServer();
t.teardown(() => server.close());

t.test('1000 PDFs, 5 gaussian folders, metadata and text: entries, folders, DAT rows', async (t) => {
  const res = await postArchive(server.origin, { count: 1000, folders: 5, distribution: 'gaussian', withMetadata: true, withText: true, seed: 11 });
  t.equal(res.status, 200);
  t.equal(res.headers['content-type'], 'application/zip');
  t.equal(res.headers['content-disposition'], 'attachment; filename="archive.zip"');
  t.equal(res.headers['x-zipper-seed'], '11');
  t.match(res.headers['x-archive-id'], /^[0-9a-f-]{36}$/);
  t.equal(res.headers['content-length'], String(res.body.length), '1,000 documents: measured before sending, Content-Length exact');

  const entries = await readZip(res.body);
  t.equal(entries.length, 1000 * 2 + 1, 'documents, texts, load file');
  t.same(countsPerFolder(entries, 'pdf', 5), [115, 385, 385, 106, 9], 'gaussian counts (p = (i − 1)/(N − 1), as Zipper)');
  t.same(countsPerFolder(entries, 'txt', 5), [115, 385, 385, 106, 9], 'a text beside every document');
  t.equal(entries[0]?.name, 'folder_001/00000001.pdf');
  t.equal(entries[1]?.name, 'folder_001/00000001.txt');
  t.equal(entries.at(-1)?.name, 'archive.dat', 'load file at the root, last');

  const byName = new Map(entries.map((entry) => [entry.name, entry]));
  const dat = parseDat(byName.get('archive.dat')!.data, 'UTF-8');
  t.same(dat.header, ['Control Number', 'File Path', 'Custodian', 'Date Sent', 'Author', 'File Size', 'Extracted Text']);
  t.equal(dat.rows.length, 1000, 'one row per document');
  const mismatches: string[] = [];
  for (const [i, row] of dat.rows.entries()) {
    const [control, path, custodian, dateSent, author, fileSize, textPath] = row as string[];
    const folder = Number(/^folder_(\d{3})\//.exec(path!)?.[1]);
    const problems = [
      control !== `DOC${String(i + 1).padStart(8, '0')}` && `control number ${control}`,
      custodian !== `Custodian ${folder}` && `custodian ${custodian} in folder ${folder}`,
      !/^\d{2}\/\d{2}\/20[12]\d$/.test(dateSent!) && `date ${dateSent}`,
      !(author && author.length > 3) && `author ${author}`,
      Number(fileSize) !== byName.get(path!)?.data.length && `File Size ${fileSize} of ${path}`,
      !byName.get(textPath!)?.data.toString('utf8').includes(control!) && `text ${textPath}`,
    ].filter(Boolean);
    if (problems.length > 0) mismatches.push(`row ${i + 1}: ${problems.join(', ')}`);
  }
  t.same(mismatches, [], 'every row: control number, folder-linked custodian, date, author, real File Size, text beside');
});

t.test('DAT columns per option set, and no load file when asked', async (t) => {
  const cases: Array<[Record<string, unknown>, string[]]> = [
    [{}, ['Control Number', 'File Path']],
    [{ withText: true }, ['Control Number', 'File Path', 'Extracted Text']],
    [
      { fileType: 'eml', withMetadata: true, attachmentRate: 50 },
      ['Control Number', 'File Path', 'Custodian', 'Date Sent', 'Author', 'File Size', 'To', 'From', 'Subject', 'Sent Date', 'Attachment'],
    ],
  ];
  for (const [fields, header] of cases) {
    const res = await postArchive(server.origin, { count: 20, name: 'set', seed: 3, ...fields });
    const entries = await readZip(res.body);
    const dat = parseDat(entries.find((entry) => entry.name === 'set.dat')!.data, 'UTF-8');
    t.same(dat.header, header, JSON.stringify(fields));
    t.equal(dat.rows.length, 20);
    if (fields.fileType === 'eml') {
      const attached = dat.rows.filter((row) => row[10] !== '');
      t.equal(attached.length, 10, '50 % of 20 emails carry an attachment');
      t.match(attached[0]?.[10], /^DOC\d{8}_attachment\.pdf$/);
    }
  }
  const res = await postArchive(server.origin, { count: 5, includeLoadFile: false, seed: 3 });
  const names = (await readZip(res.body)).map((entry) => entry.name);
  t.same(names, [1, 2, 3, 4, 5].map((i) => `folder_001/0000000${i}.pdf`), 'documents only');
});

t.test('encodings: UTF-16LE with BOM and Windows-1252 decode back with the delimiters intact', async (t) => {
  for (const encoding of ['UTF-8', 'UTF-16', 'ANSI'] as const) {
    const res = await postArchive(server.origin, { count: 300, fileType: 'eml', withMetadata: true, encoding, seed: 9 });
    const entries = await readZip(res.body);
    const bytes = entries.find((entry) => entry.name === 'archive.dat')!.data;
    if (encoding === 'UTF-16') t.same([...bytes.subarray(0, 4)], [0xff, 0xfe, 0xfe, 0x00], 'BOM, then þ in UTF-16LE');
    if (encoding === 'ANSI') {
      t.equal(bytes[0], 0xfe, 'þ is one byte, 0xFE');
      t.ok(bytes.includes(Buffer.from([0xfe, 0x14, 0xfe])), 'þ DC4 þ between fields');
    }
    if (encoding === 'UTF-8') t.same([...bytes.subarray(0, 2)], [0xc3, 0xbe], 'þ in UTF-8, no BOM');
    const dat = parseDat(bytes, encoding);
    t.equal(dat.rows.length, 300, encoding);
    const names = dat.rows.map((row) => row[4]).join(' ');
    t.match(names, /[éëöüøñçôØÖÜ]/, `${encoding}: non-ASCII names survive`);
  }
});
