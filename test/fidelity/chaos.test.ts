/**
 * Chaos checked by a reader we did not build into the service: verify_anomalies.py (Python's standard
 * library: csv, xml.etree, codecs) finds every line the answer key lists broken and every other
 * line well formed — for each load-file type alone, in every encoding and line end, in custom
 * dialects — and refuses a key that leaves one anomaly out or invents one.
 */
import t from 'tap';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CHAOS_TYPE_NAMES, typeInfo } from '../../src/generator/chaos/catalogue.js';
import { tempDir } from './lib/files.js';
import { PYTHON, FIDELITY_DIR, run, requireTool } from './lib/process.js';
import { curlPost, startServer } from './lib/server.js';

const server = await startServer(t);
requireTool(PYTHON, 'python3');

async function verify(zip: string, key?: string) {
  return run(PYTHON, [join(FIDELITY_DIR, 'verify_anomalies.py'), zip, ...(key ? [key] : [])]);
}

const ALL_TYPES = { pdf: 20, jpg: 20, tiff: 20, eml: 20, docx: 10, xlsx: 10 };
const BASE = { count: 240, fileTypes: { eml: 40, pdf: 30, tiff: 30 }, tiffPages: { min: 1, max: 3 }, attachmentRate: 40, withFamilies: true, withMetadata: true };

for (const type of CHAOS_TYPE_NAMES) {
  const formats = [...(typeInfo(type).formats ?? ['dat', 'opt', 'edrm-xml'])];
  const target = typeInfo(type).kind === 'loadfile' ? 'each load file of its formats' : 'the documents';
  for (const padded of [false, true]) {
    t.test(`${type} alone${padded ? ', padded' : ''}: exactly the listed ${typeInfo(type).kind === 'loadfile' ? 'lines' : 'documents'} are broken`, async (t) => {
      const dir = await tempDir(t);
      const request = { ...BASE, fileTypes: ALL_TYPES, loadFileFormats: formats, chaos: { types: [type], amount: 12 }, seed: 31, ...(padded ? { targetSize: '6MB' } : {}) };
      const download = await curlPost(`${server.url}/archives`, request, join(dir, 'a.zip'));
      t.equal(download.status, 200);
      const result = await verify(download.file);
      t.equal(result.code, 0, result.stdout + result.stderr);
      t.match(result.stdout, /12 anomalies listed, all found/, `twelve in ${target}`);
    });
  }
}

for (const scenario of ['broken-natives', 'inconsistent-delivery']) {
  t.test(`scenario ${scenario}: documents and entries as listed, hashes of what is stored`, async (t) => {
    const dir = await tempDir(t);
    const request = { ...BASE, count: 400, fileTypes: ALL_TYPES, loadFileFormats: ['dat', 'opt'], hashMode: 'actual', chaos: { scenario }, seed: 8 };
    const download = await curlPost(`${server.url}/archives`, request, join(dir, 'a.zip'));
    const result = await verify(download.file);
    t.equal(result.code, 0, result.stdout + result.stderr);
    t.match(result.stdout, /documents: [1-9][0-9]* anomalies listed, all found/);
  });
}

for (const encoding of ['UTF-8', 'UTF-16', 'ANSI']) {
  for (const eol of ['CRLF', 'LF', 'CR']) {
    t.test(`every type, every format, ${encoding}, ${eol}`, async (t) => {
      const dir = await tempDir(t);
      const request = { ...BASE, loadFileFormats: ['dat', 'opt', 'csv', 'edrm-xml', 'concordance'], encoding, eol, chaos: { amount: '15%' }, seed: 7 };
      const download = await curlPost(`${server.url}/archives`, request, join(dir, 'a.zip'));
      const result = await verify(download.file);
      t.equal(result.code, 0, result.stdout + result.stderr);
      t.equal((result.stdout.match(/all found, every other line well formed/g) ?? []).length, 5, 'five load files agree with the key');
    });
  }
}

t.test('custom dialects: no quote, the csv preset, a profile', async (t) => {
  const dir = await tempDir(t);
  for (const [k, extra] of [
    { delimiters: { column: 'char:;', quote: 'none' }, withMetadata: true },
    { datDelimiters: 'csv', withMetadata: true },
    { columnProfile: 'standard', withMetadata: false },
  ].entries()) {
    const download = await curlPost(`${server.url}/archives`, { ...BASE, ...extra, loadFileFormats: ['dat', 'concordance', 'csv'], chaos: { amount: '20%' }, seed: 100 + k }, join(dir, `d${k}.zip`));
    const result = await verify(download.file);
    t.equal(result.code, 0, `${JSON.stringify(extra)}: ${result.stdout}${result.stderr}`);
  }
});

t.test('the verifier refuses a key that leaves an anomaly out or lists an intact line', async (t) => {
  const dir = await tempDir(t);
  const download = await curlPost(`${server.url}/archives`, { ...BASE, loadFileFormats: ['dat', 'opt'], chaos: { amount: 10 }, seed: 5 }, join(dir, 'a.zip'));
  const plan = await fetch(`${server.url}/archives/plan`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...BASE, loadFileFormats: ['dat', 'opt'], chaos: { amount: 10 }, seed: 5 }) });
  const { anomalies } = (await plan.json()) as { anomalies: Array<{ file: string; line: number; type: string }> };
  t.equal((await verify(download.file, await keyFile(dir, 'same.json', anomalies))).code, 0, 'the plan’s key is the archive’s');
  const missing = anomalies.filter((anomaly) => anomaly.type !== 'encoding').slice(1);
  const left = await verify(download.file, await keyFile(dir, 'missing.json', [...anomalies.filter((anomaly) => anomaly.type === 'encoding'), ...missing]));
  t.equal(left.code, 1, 'one left out: refused');
  t.match(left.stdout, /broken, but the key does not list it/);
  const listed = new Set(anomalies.filter((anomaly) => anomaly.file === 'archive.dat').map((anomaly) => anomaly.line));
  const intact = [...Array(200).keys()].map((k) => k + 2).find((line) => !listed.has(line) && !listed.has(line - 1))!;
  const invented = await verify(download.file, await keyFile(dir, 'invented.json', [...anomalies, { file: 'archive.dat', line: intact, type: 'quotes' }]));
  t.equal(invented.code, 1, 'an intact line listed: refused');
  t.match(invented.stdout, new RegExp(`line ${intact}: the key lists quotes, but the line is well formed`));
});

async function keyFile(dir: string, name: string, anomalies: unknown[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, JSON.stringify({ anomalies: (anomalies as Array<Record<string, unknown>>).map((anomaly) => ({ target: 'loadfile', ...anomaly })) }));
  return path;
}
