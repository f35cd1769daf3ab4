/**
 * Heap kept per DAT row by POST /productions/compare: reads a production-shaped DAT of N rows (the
 * columns this service writes, þ/DC4, CRLF) into a RecordSet, streamed, and prints heap growth per row,
 * then the comparison of it against itself shifted by half, and the report's JSON size.
 * Run: node --expose-gc dist/bench/probes/compare-memory.js [rows]
 */
import { Readable } from 'node:stream';
import { compareProductions, reportJson } from '../../src/generator/production/compare/compare.js';
import { readDat, RecordSet } from '../../src/generator/production/compare/records.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const q = (value: string) => `\u00fe${value}\u00fe`;

function* dat(from: number, count: number): Generator<Buffer> {
  const header = ['DOCID', 'BATES_NUMBER', 'VOLUME', 'NATIVE_PATH', 'TEXT_PATH', 'IMAGE_PATH', 'CUSTODIAN', 'DATE_CREATED', 'FILE_SIZE', 'FILE_TYPE'];
  let chunk = header.map(q).join('\u0014') + '\r\n';
  for (let i = 0; i < count; i++) {
    const bates = `ABC${String(from + i).padStart(8, '0')}`;
    const volume = `VOL${String(Math.floor(i / 5000) + 1).padStart(3, '0')}`;
    chunk += [bates, bates, volume, `NATIVES\\${volume}\\${bates}.pdf`, `TEXT\\${volume}\\${bates}.txt`, `IMAGES\\${volume}\\${bates}.tif`, 'Custodian 3', '2024-02-19', '312', 'PDF'].map(q).join('\u0014') + '\r\n';
    if (chunk.length > 60_000) {
      yield Buffer.from(chunk, 'utf8');
      chunk = '';
    }
  }
  yield Buffer.from(chunk, 'utf8');
}

const reading = { encoding: 'utf8', column: '\u0014', quote: '\u00fe' };
gc();
const before = process.memoryUsage().heapUsed;
const prior = new RecordSet();
await readDat(Readable.from(dat(1, rows)), reading, prior, prior.addProduction('P1'), Infinity);
gc();
const afterPrior = process.memoryUsage().heapUsed;
console.log(`prior: ${rows} rows, ${((afterPrior - before) / rows).toFixed(0)} bytes a row kept`);
const next = new RecordSet();
await readDat(Readable.from(dat(rows / 2 + 1, rows)), reading, next, next.addProduction('P2'), Infinity);
gc();
const afterNext = process.memoryUsage().heapUsed;
console.log(`new: ${rows} rows, ${((afterNext - afterPrior) / rows).toFixed(0)} bytes a row kept`);
const comparison = compareProductions(prior, next, 'replacement', ['P1/_manifest.json', 'P2/_manifest.json']);
gc();
const afterCompare = process.memoryUsage().heapUsed;
console.log(`comparison: ${((afterCompare - afterNext) / (2 * rows)).toFixed(0)} bytes a row more; peak RSS so far ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
let bytes = 0;
for (const chunk of reportJson(comparison)) bytes += Buffer.byteLength(chunk);
console.log(`report: ${(bytes / 2 ** 20).toFixed(0)} MiB of JSON, streamed; summary ${JSON.stringify(comparison.summary)}; RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
