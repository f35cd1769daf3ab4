/**
 * Fidelity: hashMode actual. Every native of a padded, mixed archive with families, extracted with
 * unzip, hashed by coreutils' md5sum, sha1sum and sha256sum: the load file must list exactly those
 * hashes. POST /loadfiles must give the archive's hash columns for the same request.
 */
import t from 'tap';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDat } from '../helpers/dat.js';
import { extract, listFiles, tempDir } from './lib/files.js';
import { chunks, requireTool, runOk } from './lib/process.js';
import { curlPost, startServer } from './lib/server.js';

const server = await startServer(t);

const TOOLS = [
  ['MD5HASH', 'md5sum'],
  ['SHA1HASH', 'sha1sum'],
  ['SHA256HASH', 'sha256sum'],
] as const;

/** `tool` over the files (relative to dir): file → hash, as the tool prints them. */
async function hashFiles(tool: string, dir: string, files: readonly string[]): Promise<Map<string, string>> {
  requireTool(tool, 'coreutils');
  const hashes = new Map<string, string>();
  for (const some of chunks(files, 500)) {
    const { stdout } = await runOk(tool, ['--', ...some], { cwd: dir });
    for (const line of stdout.trimEnd().split('\n')) {
      const match = /^([0-9a-f]+) [ *](.+)$/.exec(line);
      if (!match) throw new Error(`${tool}: unexpected line ${JSON.stringify(line)}`);
      hashes.set(match[2]!, match[1]!);
    }
  }
  return hashes;
}

async function loadFileRows(path: string): Promise<{ header: string[]; rows: string[][] }> {
  return parseDat(await readFile(path), 'UTF-8');
}

t.test('2,000 padded, mixed documents with families: the DAT lists md5sum, sha1sum and sha256sum of every extracted native', async (t) => {
  const dir = await tempDir(t);
  const fields = {
    count: 2000,
    fileTypes: { pdf: 30, eml: 25, tiff: 15, jpg: 10, docx: 10, xlsx: 10 },
    withFamilies: true,
    attachmentRate: 40,
    withText: true,
    targetSize: '40MB',
    hashMode: 'actual',
    hashAlgorithms: ['md5', 'sha1', 'sha256'],
    seed: 2026,
  };
  const zip = join(dir, 'hashes.zip');
  const download = await curlPost(`${server.url}/archives`, fields, zip);
  t.equal(download.status, 200);
  const out = join(dir, 'x');
  await extract(zip, out);
  const natives = (await listFiles(out)).filter((file) => file.includes('/') && !file.endsWith('.txt'));
  const dat = await loadFileRows(join(out, 'archive.dat'));
  t.same(dat.header.slice(-3), TOOLS.map(([column]) => column), 'hash columns last, in fixed order');
  const pathColumn = dat.header.indexOf('File Path');
  t.same(dat.rows.map((row) => row[pathColumn]).sort(), natives, `one row per extracted native (${natives.length}, attachments included)`);
  t.ok(natives.some((file) => file.endsWith('_0001.pdf')), 'attachments are among them');
  for (const [column, tool] of TOOLS) {
    const computed = await hashFiles(tool, out, natives);
    const k = dat.header.indexOf(column);
    const differing = dat.rows.filter((row) => computed.get(row[pathColumn]!) !== row[k]);
    t.same(differing.slice(0, 3).map((row) => `${row[pathColumn]}: ${row[k]} vs ${computed.get(row[pathColumn]!)}`), [], `${column} = ${tool} for all ${dat.rows.length} natives`);
    t.equal(differing.length, 0);
  }
});

t.test('POST /loadfiles with actual: the archive’s hash columns (no targetSize: /loadfiles sizes padding for the load file alone)', async (t) => {
  const dir = await tempDir(t);
  const fields = { count: 500, fileTypes: { pdf: 1, eml: 1, tiff: 1 }, withFamilies: true, attachmentRate: 50, hashMode: 'actual', hashAlgorithms: ['sha256', 'md5'], seed: 99 };
  const zip = join(dir, 'a.zip');
  t.equal((await curlPost(`${server.url}/archives`, fields, zip)).status, 200);
  const out = join(dir, 'x');
  await extract(zip, out);
  const alone = join(dir, 'alone.dat');
  t.equal((await curlPost(`${server.url}/loadfiles`, fields, alone)).status, 200);
  const inArchive = await loadFileRows(join(out, 'archive.dat'));
  const fromLoadFiles = await loadFileRows(alone);
  t.same(fromLoadFiles.header.slice(-2), ['MD5HASH', 'SHA256HASH']);
  t.same(fromLoadFiles.rows.map((row) => row.slice(-2)), inArchive.rows.map((row) => row.slice(-2)), 'same hash columns, row for row');
  const md5 = await hashFiles('md5sum', out, inArchive.rows.map((row) => row[1]!));
  t.same(fromLoadFiles.rows.filter((row) => md5.get(row[1]!) !== row.at(-2)).map((row) => row[1]), [], 'and they are md5sum’s');
});
