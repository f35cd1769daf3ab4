import t from 'tap';
import { createHash } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { startServer, postArchive, send, type RunningServer } from '../helpers/server.js';
import { readZip, type ZipEntry } from '../helpers/zip.js';
import { parseDat } from '../helpers/dat.js';

const server = await startServer();
t.teardown(() => server.close());

const HASH_COLUMNS = ['MD5HASH', 'SHA1HASH', 'SHA256HASH'];
const ALGORITHMS = ['md5', 'sha1', 'sha256'] as const;
/** Load files at the archive root; everything under a folder is a document or its text. */
const isNative = (entry: ZipEntry) => entry.name.includes('/') && !entry.name.endsWith('.txt');

async function archive(origin: string, fields: object): Promise<Map<string, Buffer>> {
  const res = await postArchive(origin, fields);
  if (res.status !== 200) throw new Error(`archive: ${res.status} ${res.body.toString()}`);
  return new Map((await readZip(res.body)).map((entry) => [entry.name, entry.data]));
}

async function loadFile(origin: string, fields: object): Promise<Buffer> {
  const res = await send(origin, 'POST', '/loadfiles', fields);
  if (res.status !== 200) throw new Error(`loadfiles: ${res.status} ${res.body.toString()}`);
  return res.body;
}

/** Hash columns of a parsed DAT by File Path (and the rows' order). */
function hashesByPath(dat: { header: string[]; rows: string[][] }): Map<string, string[]> {
  const path = dat.header.indexOf('File Path');
  const columns = HASH_COLUMNS.map((name) => dat.header.indexOf(name)).filter((k) => k >= 0);
  return new Map(dat.rows.map((row) => [row[path]!, columns.map((k) => row[k]!)]));
}

interface EdrmFile {
  FileType: string;
  ExternalFile: { FilePath: string; FileName: string; Hash?: string; Sha1Hash?: string; Sha256Hash?: string };
}
function edrmDocuments(xml: Buffer): Array<{ DocID: string; Files: { File: EdrmFile[] }; Tags: { Tag: Array<{ TagName: string }> } }> {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['Document', 'File', 'Tag'].includes(name) });
  return parser.parse(xml.toString('utf8')).Root.Batch.Documents.Document;
}

t.test('actual: every native of a padded, mixed archive with families has its own bytes’ MD5, SHA-1 and SHA-256 in every load file', async (t) => {
  const fields = {
    count: 2000,
    fileTypes: { pdf: 30, eml: 25, tiff: 15, jpg: 10, docx: 10, xlsx: 10 },
    tiffPages: { min: 1, max: 3 },
    withFamilies: true,
    attachmentRate: 40,
    withMetadata: true,
    withText: true,
    targetSize: '40MB',
    hashMode: 'actual',
    hashAlgorithms: ['sha256', 'md5', 'sha1'],
    loadFileFormats: ['dat', 'csv', 'concordance', 'edrm-xml', 'opt'],
    seed: 77,
  };
  const files = await archive(server.origin, fields);
  const dat = parseDat(files.get('archive.dat')!, 'UTF-8');
  t.same(dat.header.slice(-3), HASH_COLUMNS, 'hash columns last, in the fixed order whatever order they were asked in');
  const hashes = hashesByPath(dat);
  const natives = [...files].filter(([name]) => isNative({ name } as ZipEntry));
  t.ok(natives.some(([name]) => name.endsWith('_0001.pdf')), 'attachments that are documents of their own are in the archive');
  t.ok(natives.filter(([name]) => !name.endsWith('_0001.pdf')).every(([, data]) => data.length > 10_000), 'natives are padded');
  t.equal(dat.rows.length, natives.length, 'one row per native');
  let mismatches = 0;
  for (const [name, data] of natives) {
    const expected = ALGORITHMS.map((algorithm) => createHash(algorithm).update(data).digest('hex'));
    if (JSON.stringify(hashes.get(name)) !== JSON.stringify(expected)) {
      if (mismatches++ < 3) t.fail(`${name}: ${JSON.stringify(hashes.get(name))} ≠ ${JSON.stringify(expected)}`);
    }
  }
  t.equal(mismatches, 0, `${natives.length} natives: DAT hashes = hashes of the entry's bytes`);
  const parents = dat.rows.filter((row) => row[dat.header.indexOf('PARENT_DOCID')] === '');
  const children = dat.rows.filter((row) => row[dat.header.indexOf('PARENT_DOCID')] !== '');
  t.ok(children.length > 100, `${children.length} attachment rows`);
  const parentMd5 = new Map(parents.map((row) => [row[0], row.at(-3)]));
  t.ok(children.every((row) => row.at(-3) !== parentMd5.get(row[dat.header.indexOf('PARENT_DOCID')])), 'a child hashes its own bytes, not its parent’s');

  const csvLines = files.get('archive.csv')!.toString('utf8').trimEnd().split('\r\n');
  t.same(csvLines[0]!.split(',').slice(-3), HASH_COLUMNS, 'CSV: hash columns last');
  // Hex values hold no comma or quote: the last three fields of each line are the hashes.
  t.same(
    csvLines.slice(1).map((line) => line.split(',').slice(-3)),
    dat.rows.map((row) => row.slice(-3)),
    'CSV hashes = DAT hashes',
  );
  const concordance = parseDat(files.get('archive.concordance.dat')!, 'UTF-8');
  t.same(concordance.header.slice(-3), HASH_COLUMNS, 'Concordance: hash fields last');
  t.same(concordance.rows.map((row) => row.slice(-3)), dat.rows.map((row) => row.slice(-3)), 'Concordance hashes = DAT hashes');

  const documents = edrmDocuments(files.get('archive.xml')!);
  t.equal(documents.length, dat.rows.length);
  const native = (doc: (typeof documents)[number]) => doc.Files.File.find((file) => file.FileType === 'Native')!.ExternalFile;
  t.same(
    documents.map((doc) => [native(doc).Hash, native(doc).Sha1Hash, native(doc).Sha256Hash]),
    dat.rows.map((row) => row.slice(-3)),
    'EDRM-XML: Hash (md5), Sha1Hash, Sha256Hash on the native = DAT hashes',
  );
  t.ok(
    documents.every((doc) => doc.Tags.Tag.every((tag) => !HASH_COLUMNS.includes(tag.TagName))),
    'EDRM-XML: hashes are attributes, not tags',
  );
  t.ok(
    documents.every((doc) => doc.Files.File.filter((file) => file.FileType === 'Text').every((file) => file.ExternalFile.Hash === undefined)),
    'text files carry no hash',
  );
  const opt = files.get('archive.opt')!.toString('utf8').trimEnd().split('\r\n');
  t.ok(opt.every((line) => line.split(',').length === 7), 'OPT: no hash field');
});

t.test('actual: POST /loadfiles renders the documents to hash them and gives the archive’s load files byte for byte', async (t) => {
  const fields = {
    count: 300,
    fileTypes: { pdf: 40, eml: 40, tiff: 20 },
    withFamilies: true,
    attachmentRate: 50,
    withMetadata: true,
    hashMode: 'actual',
    hashAlgorithms: ['md5', 'sha1', 'sha256'],
    loadFileFormats: ['dat', 'edrm-xml', 'csv'],
    seed: 31,
  };
  const files = await archive(server.origin, fields);
  for (const [format, name] of [
    ['dat', 'archive.dat'],
    ['edrm-xml', 'archive.xml'],
    ['csv', 'archive.csv'],
  ] as const) {
    const alone = await loadFile(server.origin, { ...fields, loadFileFormats: undefined, loadFileFormat: format });
    t.ok(alone.equals(files.get(name)!), `${format}: /loadfiles = the archive's ${name}`);
  }
  const dat = parseDat(files.get('archive.dat')!, 'UTF-8');
  const hashes = hashesByPath(dat);
  const wrong = [...files].filter(([name]) => isNative({ name } as ZipEntry)).filter(([name, data]) => hashes.get(name)?.[0] !== createHash('md5').update(data).digest('hex'));
  t.same(wrong.map(([name]) => name), [], 'and they are the natives’ real hashes');
});

t.test('actual with Bates numbers (one sequential pass), without workers, and with stock archiver: the same real hashes', async (t) => {
  const fields = { count: 150, fileTypes: { pdf: 1, eml: 1, tiff: 1 }, withFamilies: true, attachmentRate: 60, bates: { prefix: 'H' }, targetSize: '3MB', hashMode: 'actual', loadFileFormats: ['dat', 'edrm-xml'], seed: 8 };
  const servers: Array<[string, RunningServer]> = [['2 workers', server]];
  for (const [label, env] of [
    ['no workers', { ZIPPER_CONCURRENCY: '0' }],
    ['stock archiver', { ZIPPER_ZIP_ENGINE: 'archiver' }],
  ] as const) {
    const other = await startServer(env);
    t.teardown(() => other.close());
    servers.push([label, other]);
  }
  let first: Buffer | null = null;
  for (const [label, running] of servers) {
    const files = await archive(running.origin, fields);
    const dat = parseDat(files.get('archive.dat')!, 'UTF-8');
    t.equal(dat.header.at(-1), 'MD5HASH', `${label}: md5 alone by default`);
    const hashes = hashesByPath(dat);
    const natives = [...files].filter(([name]) => isNative({ name } as ZipEntry));
    t.ok(natives.length > 150);
    t.same(
      natives.filter(([name, data]) => hashes.get(name)?.[0] !== createHash('md5').update(data).digest('hex')).map(([name]) => name),
      [],
      `${label}: every native's MD5`,
    );
    first ??= files.get('archive.dat')!;
    t.ok(files.get('archive.dat')!.equals(first), `${label}: the same DAT`);
  }
});

t.test('actual on large documents: one load file hashes them where its rows are made, several read the workers’ digests — the same values', async (t) => {
  const fields = { count: 12, fileTypes: { pdf: 1, eml: 1, docx: 1 }, targetSize: '6MB', hashMode: 'actual', hashAlgorithms: ['md5', 'sha256'], seed: 12 };
  const one = await archive(server.origin, fields);
  const several = await archive(server.origin, { ...fields, loadFileFormats: ['dat', 'csv'] });
  for (const [label, files] of [
    ['one load file', one],
    ['two load files', several],
  ] as const) {
    const natives = [...files].filter(([name]) => isNative({ name } as ZipEntry));
    t.ok(natives.length === 12 && natives.every(([, data]) => data.length > 256 * 1024), `${label}: documents padded past 256 KiB`);
    const hashes = hashesByPath(parseDat(files.get('archive.dat')!, 'UTF-8'));
    t.same(
      natives.map(([name]) => hashes.get(name)),
      natives.map(([, data]) => [createHash('md5').update(data).digest('hex'), createHash('sha256').update(data).digest('hex')]),
      `${label}: every native's MD5 and SHA-256`,
    );
  }
});

t.test('simulated: seeded lowercase hex of each length, deterministic, distinct per document, the same in /loadfiles', async (t) => {
  const fields = { count: 400, fileType: 'eml', withFamilies: true, attachmentRate: 50, hashMode: 'simulated', hashAlgorithms: ['sha256', 'sha1', 'md5'], seed: 5 };
  const files = await archive(server.origin, fields);
  const dat = parseDat(files.get('archive.dat')!, 'UTF-8');
  t.same(dat.header.slice(-3), HASH_COLUMNS);
  const values = dat.rows.map((row) => row.slice(-3));
  t.ok(dat.rows.length > 500, `${dat.rows.length} rows, attachments included`);
  for (const [k, length] of [32, 40, 64].entries()) {
    t.ok(values.every((row) => new RegExp(`^[0-9a-f]{${length}}$`).test(row[k]!)), `${HASH_COLUMNS[k]}: ${length} lowercase hex digits`);
    t.equal(new Set(values.map((row) => row[k])).size, values.length, `${HASH_COLUMNS[k]}: distinct for every row, attachments included`);
  }
  const again = await loadFile(server.origin, fields);
  t.ok(again.equals(files.get('archive.dat')!), 'same request → same load file (/loadfiles = the archive’s)');
  // Not the real hashes: nothing was hashed.
  const first = files.get(dat.rows[0]![1]!)!;
  t.not(values[0]![0], createHash('md5').update(first).digest('hex'), 'simulated, not computed');

  const md5Only = parseDat(await loadFile(server.origin, { ...fields, hashAlgorithms: ['md5'] }), 'UTF-8');
  t.same(md5Only.header.slice(-2), ['PARENT_DOCID', 'MD5HASH']);
  t.same(md5Only.rows.map((row) => row.at(-1)), values.map((row) => row[0]), 'a document’s md5 does not depend on the other algorithms asked for');
  const otherSeed = parseDat(await loadFile(server.origin, { ...fields, seed: 6 }), 'UTF-8');
  t.ok(otherSeed.rows.every((row, k) => row.at(-3) !== values[k]![0]), 'another seed, other values');
});

t.test('columns: none without hashMode; requested ones in fixed order; EDRM Hash is the first asked for without md5', async (t) => {
  const none = parseDat(await loadFile(server.origin, { count: 3, seed: 1 }), 'UTF-8');
  t.same(none.header, ['Control Number', 'File Path'], 'hashMode none: no hash column');
  const fields = { count: 20, hashMode: 'actual', hashAlgorithms: ['sha256', 'sha1'], seed: 4 };
  const dat = parseDat(await loadFile(server.origin, fields), 'UTF-8');
  t.same(dat.header, ['Control Number', 'File Path', 'SHA1HASH', 'SHA256HASH']);
  const documents = edrmDocuments(await loadFile(server.origin, { ...fields, loadFileFormat: 'edrm-xml' }));
  t.same(
    documents.map((doc) => {
      const native = doc.Files.File[0]!.ExternalFile;
      return [native.Hash, native.Sha1Hash, native.Sha256Hash];
    }),
    dat.rows.map((row) => [row[2], row[2], row[3]]),
    'Hash = SHA-1 (the first asked for), Sha1Hash, Sha256Hash',
  );
  const plan = JSON.parse((await send(server.origin, 'POST', '/archives/plan', { ...fields, loadFileFormats: ['dat', 'concordance', 'opt'] })).body.toString('utf8'));
  t.same(
    plan.loadFiles.map((loadFile: { columns: string[] }) => loadFile.columns.slice(-2)),
    [['SHA1HASH', 'SHA256HASH'], ['SHA1HASH', 'SHA256HASH'], []],
    'the plan lists the hash columns (none for OPT)',
  );
  // Nothing lists hashes: the archive is the one without hashMode.
  for (const extra of [{ loadFileFormat: 'opt', fileType: 'tiff', withMetadata: true }, { includeLoadFile: false }]) {
    const plain = await postArchive(server.origin, { count: 30, seed: 3, ...extra });
    const hashed = await postArchive(server.origin, { count: 30, seed: 3, ...extra, hashMode: 'actual' });
    t.equal(hashed.status, 200);
    t.ok(hashed.body.equals(plain.body), `${JSON.stringify(extra)}: same bytes as without hashMode`);
  }
});
