import t from 'tap';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import iconv from 'iconv-lite';
import UTIF from 'utif';
import { startServer, postArchive, send } from '../helpers/server.js';
import { readZip, type ZipEntry } from '../helpers/zip.js';
import { parseDat } from '../helpers/dat.js';

const server = await startServer();
t.teardown(() => server.close());

const byName = (entries: ZipEntry[]) => new Map(entries.map((entry) => [entry.name, entry]));

t.test('fileTypes: counts follow the weights (largest remainder), spread through the archive, reported per row', async (t) => {
  const res = await postArchive(server.origin, { count: 1001, fileTypes: { pdf: 70, eml: 20, tiff: 10 }, seed: 3, withMetadata: true });
  t.equal(res.status, 200);
  const entries = await readZip(res.body);
  const count = (extension: string, list = entries) => list.filter((entry) => entry.name.endsWith(`.${extension}`)).length;
  // 1001 × 0.7 = 700.7, × 0.2 = 200.2, × 0.1 = 100.1 → floors 700/200/100, the one left over to pdf (.7).
  t.same([count('pdf'), count('eml'), count('tiff'), count('jpg')], [701, 200, 100, 0]);
  const documents = entries.filter((entry) => !entry.name.endsWith('.dat'));
  const firstHalf = documents.slice(0, 500);
  t.ok(count('eml', firstHalf) > 70 && count('eml', firstHalf) < 130, `emails spread: ${count('eml', firstHalf)} of 200 in the first half`);
  const dat = parseDat(byName(entries).get('archive.dat')!.data, 'UTF-8');
  t.equal(dat.header[2], 'File Type');
  t.ok(dat.header.includes('Subject'), 'email columns when emails are in the mix');
  t.ok(dat.rows.every((row) => row[1]!.endsWith(`.${row[2]}`)), 'File Type matches each file');
  t.ok(dat.rows.filter((row) => row[2] !== 'eml').every((row) => row[dat.header.indexOf('Subject')] === ''), 'email columns empty for other types');
  const plan = JSON.parse((await send(server.origin, 'POST', '/archives/plan', { count: 1001, fileTypes: { pdf: 70, eml: 20, tiff: 10 }, seed: 3 })).body.toString());
  t.same(plan.fileTypes, { pdf: 701, tiff: 100, eml: 200 }, 'the plan reports the same counts');
});

t.test('Bates numbers past 2^53 stay exact and distinct; digits too few for the range is a 400', async (t) => {
  const start = Number.MAX_SAFE_INTEGER - 1; // 2^53 − 2: the third page is already past 2^53
  const fields = { count: 6, bates: { prefix: 'A', start, digits: 16 }, loadFileFormats: ['opt'], seed: 1 };
  const res = await send(server.origin, 'POST', '/loadfiles', fields);
  t.equal(res.status, 200);
  const keys = res.body.toString('utf8').trimEnd().split('\r\n').map((line) => line.split(',')[0]);
  const expected = Array.from({ length: 6 }, (_, k) => `A${(BigInt(start) + BigInt(k)).toString()}`);
  t.same(keys, expected, 'A9007199254740990 … A9007199254740995, each once');
  // Multipage TIFFs past 2^53: later pages' OPT keys are exact too.
  const tiffs = await send(server.origin, 'POST', '/loadfiles', { count: 3, fileType: 'tiff', tiffPages: { min: 3, max: 3 }, bates: { prefix: 'T', start, digits: 16 }, loadFileFormat: 'opt', seed: 2 });
  const tiffKeys = tiffs.body.toString('utf8').trimEnd().split('\r\n').map((line) => line.split(',')[0]);
  t.same(tiffKeys, Array.from({ length: 9 }, (_, k) => `T${(BigInt(start) + BigInt(k)).toString()}`), 'one key per page, none repeated');

  const narrow = await send(server.origin, 'POST', '/loadfiles', { count: 6, bates: { prefix: 'A', start, digits: 3 }, loadFileFormats: ['opt'] });
  t.equal(narrow.status, 400, 'digits 3 cannot hold the range');
  const problem = JSON.parse(narrow.body.toString('utf8'));
  t.same(problem.errors.map((error: { field: string }) => error.field), ['bates.digits']);
  t.match(problem.detail, /use digits ≥ 16/);
  const small = await send(server.origin, 'POST', '/archives/plan', { count: 20, bates: { start: 1, digits: 1 } });
  t.equal(small.status, 400, 'pages 1 … 20 need 2 digits');
  t.equal((await send(server.origin, 'POST', '/archives/plan', { count: 9, bates: { start: 1, digits: 1 } })).status, 200, 'pages 1 … 9 fit 1 digit');
  // Page counts decide, not document counts: 5 TIFFs of 2 pages from 1 end at 10.
  const pages = { count: 5, fileType: 'tiff', tiffPages: { min: 2, max: 2 }, bates: { start: 1, digits: 1 } };
  t.equal((await send(server.origin, 'POST', '/archives/plan', pages)).status, 400, '10 pages need 2 digits');
  // Bounds that straddle the limit: the pages are counted document by document.
  const straddle = { count: 3, fileType: 'tiff', tiffPages: { min: 1, max: 5 }, bates: { start: 1, digits: 1 }, seed: 3 };
  const planned = await send(server.origin, 'POST', '/archives/plan', straddle);
  const opt = await send(server.origin, 'POST', '/loadfiles', { ...straddle, bates: { start: 1, digits: 2 }, loadFileFormat: 'opt' });
  const lastPage = Number(opt.body.toString('utf8').trimEnd().split('\r\n').length);
  t.equal(planned.status, lastPage <= 9 ? 200 : 400, `${lastPage} pages: ${lastPage <= 9 ? 'fit' : 'do not fit'} one digit`);
  const unsafe = await send(server.origin, 'POST', '/archives/plan', { count: 1, bates: { start: 2 ** 53, digits: 20 } });
  t.same([...new Set(JSON.parse(unsafe.body.toString('utf8')).errors.map((error: { field: string }) => error.field))], ['bates.start'], 'start past 2^53 − 1 is a 400 naming bates.start');
});

t.test('Bates numbers run over pages; multipage TIFFs have their page count', async (t) => {
  const fields = { count: 40, fileType: 'tiff', tiffPages: { min: 1, max: 4 }, bates: { prefix: 'ABC', start: 7, digits: 6 }, loadFileFormats: ['dat', 'opt'], seed: 12 };
  const entries = await readZip((await postArchive(server.origin, fields)).body);
  const files = byName(entries);
  const dat = parseDat(files.get('archive.dat')!.data, 'UTF-8');
  t.same(dat.header, ['Control Number', 'File Path', 'Bates Number', 'Page Count']);
  let page = 7;
  const pageCounts = new Set<number>();
  for (const [control, path, bates, pages] of dat.rows as string[][]) {
    t.equal(bates, `ABC${String(page).padStart(6, '0')}`, `${control}: first page's Bates number`);
    const ifds = UTIF.decode(files.get(path!)!.data);
    t.equal(ifds.length, Number(pages), `${path}: ${pages} TIFF directories`);
    pageCounts.add(Number(pages));
    page += Number(pages);
  }
  t.ok([...pageCounts].every((n) => n >= 1 && n <= 4) && pageCounts.size > 1, `page counts vary within 1–4: ${[...pageCounts].sort()}`);
  const opt = files.get('archive.opt')!.data.toString('utf8');
  const lines = opt.trimEnd().split('\r\n');
  t.equal(lines.length, page - 7, 'one OPT line per page');
  t.same(lines[0]!.split(','), ['ABC000007', 'VOL001', dat.rows[0]![1], 'Y', '', '', dat.rows[0]![3]], 'first page: key, volume, path, Y, page count');
  t.ok(lines.every((line, k) => line.startsWith(`ABC${String(7 + k).padStart(6, '0')},`)), 'OPT keys are sequential Bates numbers');
  t.equal(lines.filter((line) => line.split(',')[3] === 'Y').length, 40, 'Y on each document’s first page');
});

t.test('CSV, Concordance and EDRM XML carry the same rows', async (t) => {
  const fields = { count: 120, fileType: 'eml', attachmentRate: 50, withMetadata: true, withText: true, bates: { prefix: 'X' }, loadFileFormats: ['dat', 'csv', 'concordance', 'edrm-xml'], seed: 5 };
  const entries = await readZip((await postArchive(server.origin, fields)).body);
  const files = byName(entries);
  const dat = parseDat(files.get('archive.dat')!.data, 'UTF-8');

  const csvText = files.get('archive.csv')!.data.toString('utf8');
  t.ok(csvText.endsWith('\r\n') && !/[^\r]\n/.test(csvText), 'CSV lines end in CRLF');
  const csvRows = parseCsv(csvText);
  t.same(csvRows[0], dat.header, 'CSV header = DAT header');
  t.same(csvRows.slice(1), dat.rows, 'CSV rows = DAT rows');

  const concordance = parseDat(files.get('archive.concordance.dat')!.data, 'UTF-8');
  t.same(concordance.header, ['BEGDOC', 'ENDDOC', 'FILEPATH', 'CUSTODIAN', 'DATESENT', 'AUTHOR', 'FILESIZE', 'TO', 'FROM', 'SUBJECT', 'SENTDATE', 'ATTACHMENT', 'BEGBATES', 'ENDBATES', 'TEXTPATH']);
  t.same(concordance.rows.map((row) => row[0]), dat.rows.map((row) => row[0]));
  t.ok(concordance.rows.every((row) => row[0] === row[1] && row[12] === row[13]), 'one-page documents: END… = BEG…');

  const xml = files.get('archive.xml')!.data.toString('utf8');
  t.equal(XMLValidator.validate(xml), true, 'EDRM XML is well-formed');
  const root = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml).Root;
  t.equal(root.MajorVersion, '1');
  t.equal(root.MinorVersion, '2');
  const documents = root.Batch.Documents.Document as Array<{ DocID: string; Tags: { Tag: Array<{ TagName: string; TagValue: string }> }; Files: { File: Array<{ FileType: string; ExternalFile: { FilePath: string; FileName: string } }> } }>;
  t.equal(documents.length, 120);
  t.same(documents.map((doc) => doc.DocID), dat.rows.map((row) => row[0]));
  const subjectColumn = dat.header.indexOf('Subject');
  t.same(documents.map((doc) => doc.Tags.Tag.find((tag) => tag.TagName === 'Subject')?.TagValue), dat.rows.map((row) => row[subjectColumn]), 'tags carry the metadata (entities decoded)');
  t.same(documents.map((doc) => `${doc.Files.File[0]!.ExternalFile.FilePath}/${doc.Files.File[0]!.ExternalFile.FileName}`), dat.rows.map((row) => row[1]), 'native file paths');
});

t.test('every format in every encoding through POST /loadfiles', async (t) => {
  for (const loadFileFormat of ['dat', 'opt', 'csv', 'edrm-xml', 'concordance']) {
    for (const encoding of ['UTF-8', 'UTF-16', 'ANSI'] as const) {
      const fields = { count: 30, fileType: 'tiff', withMetadata: true, loadFileFormat, encoding, seed: 2 };
      const alone = await send(server.origin, 'POST', '/loadfiles', fields);
      t.equal(alone.status, 200, `${loadFileFormat} ${encoding}`);
      const archived = (await readZip((await postArchive(server.origin, fields)).body)).find((entry) => !entry.name.startsWith('folder_'))!;
      t.ok(alone.body.equals(archived.data), `${loadFileFormat} ${encoding}: same bytes as in the archive (${archived.name})`);
      const text = iconv.decode(alone.body, { 'UTF-8': 'utf8', 'UTF-16': 'utf16le', ANSI: 'windows-1252' }[encoding], { stripBOM: true });
      if (loadFileFormat === 'edrm-xml') t.equal(XMLValidator.validate(text.replace(/^<\?xml[^>]*\?>/, '')), true, `${encoding}: well-formed`);
      t.ok(text.includes('DOC00000030'), `${loadFileFormat} ${encoding}: decodes back`);
    }
  }
});

t.test('bad parity fields are named', async (t) => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ count: 5, loadFileFormat: 'lst' }, 'loadFileFormat'],
    [{ count: 5, bates: { digits: 0 } }, 'bates.digits'],
    [{ count: 5, bates: { digits: 21 } }, 'bates.digits'],
    [{ count: 5, fileType: 'tiff', tiffPages: { min: 5, max: 2 } }, 'tiffPages.min'],
    [{ count: 5, fileTypes: { pdf: 0, eml: 0 } }, 'fileTypes'],
    [{ count: 5, fileTypes: { pdf: 1 }, fileType: 'pdf' }, 'fileTypes'],
    [{ count: 5, tiffPages: { min: 1, max: 2 } }, 'tiffPages'],
    [{ count: 5, fileType: 'eml', loadFileFormat: 'opt' }, 'loadFileFormat'],
    [{ count: 5, loadFileFormats: ['dat', 'dat'] }, 'loadFileFormats'],
  ];
  for (const [body, field] of cases) {
    const res = await postArchive(server.origin, body);
    t.equal(res.status, 400, JSON.stringify(body));
    const problem = JSON.parse(res.body.toString()) as { errors: Array<{ field: string }> };
    t.same(problem.errors.map((error) => error.field), [field], `${JSON.stringify(body)} names ${field}`);
  }
  const several = await send(server.origin, 'POST', '/loadfiles', { count: 5, loadFileFormats: ['dat', 'csv'] });
  t.equal(several.status, 400, '/loadfiles streams one format');
});

/** RFC 4180 reader for the test (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += c;
  }
  return rows;
}

t.test('families: an email’s attachment is a document of its own, with BEGATTACH, ENDATTACH, PARENT_DOCID', async (t) => {
  const { simpleParser } = await import('mailparser');
  const fields = { count: 60, fileType: 'eml', attachmentRate: 50, withFamilies: true, withText: true, folders: 3, loadFileFormats: ['dat', 'concordance'], seed: 9 };
  const plan = JSON.parse((await send(server.origin, 'POST', '/archives/plan', fields)).body.toString());
  const entries = await readZip((await postArchive(server.origin, fields)).body);
  const files = byName(entries);
  t.equal(plan.attachments, 30, '50 % of 60 emails');
  t.equal(plan.documents, 90);
  t.equal(entries.length, plan.entries, 'the plan counts every entry');
  t.same(plan.fileTypes, { eml: 60, pdf: 30 });
  const dat = parseDat(files.get('archive.dat')!.data, 'UTF-8');
  t.same(dat.header.slice(-4), ['BEGATTACH', 'ENDATTACH', 'PARENT_DOCID', 'Extracted Text']);
  t.equal(dat.rows.length, 90, 'a row per document, attachments included');
  const column = (name: string) => dat.header.indexOf(name);
  const children = dat.rows.filter((row) => row[column('PARENT_DOCID')] !== '');
  t.equal(children.length, 30);
  for (const child of children) {
    const parentNumber = child[column('PARENT_DOCID')]!;
    const parentRow = dat.rows[dat.rows.indexOf(child) - 1]!;
    t.equal(parentRow[0], parentNumber, `${child[0]} follows its parent`);
    t.equal(child[0], `${parentNumber}.0001`);
    t.same([parentRow[column('BEGATTACH')], parentRow[column('ENDATTACH')]], [parentNumber, child[0]], 'the parent spans the family');
    t.same([child[column('BEGATTACH')], child[column('ENDATTACH')]], [parentNumber, child[0]], 'so does the child');
    const email = await simpleParser(files.get(parentRow[1]!)!.data);
    t.ok(email.attachments[0]!.content.equals(files.get(child[1]!)!.data), `${child[1]} is byte for byte the attachment of ${parentRow[1]}`);
    t.ok(files.has(child[child.length - 1]!), 'the attachment has its text beside it');
  }
  const standalone = dat.rows.find((row) => row[column('PARENT_DOCID')] === '' && row[column('BEGATTACH')] === '');
  t.ok(standalone, 'emails without attachment have no family');
  t.equal(plan.folders.reduce((sum: number, folder: { documents: number }) => sum + folder.documents, 0), 90);
  const bad = await postArchive(server.origin, { count: 5, withFamilies: true });
  t.equal(bad.status, 400, 'families need emails');
});
