/**
 * What knowing an archive's length would cost (docs/transfer-design.md): per file type, one thread,
 * the time per document to draw its metadata, compute its size, render it, and render + CRC +
 * prepare it, and how many distinct lengths 2,000 documents have; then the DAT's rows and their
 * deflate per row. A probe for a design decision, not a scenario with a goal.
 *
 *   node dist/bench/probes/length-costs.js [documents per type, default 50000]
 */
import { deflateRawSync } from 'node:zlib';
import { documentSize } from '../../src/generator/documents/index.js';
import { documentSegments } from '../../src/generator/entries.js';
import { loadFileRows } from '../../src/generator/loadfile/writer.js';
import { FILE_TYPES } from '../../src/generator/types.js';
import { resolveRequest } from '../../src/generator/resolve.js';
import { prepareEntry } from '../../src/generator/zip/compress.js';
import { archiveRequestSchema } from '../../src/schemas/archive-request.js';
import type { ArchivePlan } from '../../src/generator/plan.js';

const count = Number(process.argv[2] ?? 50_000);
const limits = { maxCount: 10_000_000, maxTargetSize: 1e12 };

function planOf(fields: Record<string, unknown>): ArchivePlan {
  const resolution = resolveRequest(archiveRequestSchema(limits, 'json').parse({ seed: 1, count, ...fields }));
  if (!resolution.ok) throw new Error(resolution.errors[0]!.message);
  return resolution.plan;
}

/** µs per document of `work(n)` over n = count documents, after a warm-up of 2,000. */
function perDocument(work: (n: number) => unknown): string {
  work(Math.min(2_000, count));
  const start = performance.now();
  work(count);
  return (((performance.now() - start) * 1000) / count).toFixed(2);
}

console.log('| type | metadata (µs) | documentSize | render | render + CRC + prepare | distinct lengths in 2,000 |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
const name = Buffer.from('x');
for (const fileType of FILE_TYPES) {
  const plan = planOf({ fileType });
  const metadata = perDocument((n) => {
    for (let i = 1; i <= n; i++) plan.document(i);
  });
  const size = perDocument((n) => {
    for (let i = 1; i <= n; i++) documentSize(plan.document(i));
  });
  const render = perDocument((n) => {
    for (let i = 1; i <= n; i++) documentSegments(plan, plan.document(i));
  });
  const prepare = perDocument((n) => {
    for (let i = 1; i <= n; i++) prepareEntry(name, documentSegments(plan, plan.document(i)), 'segments');
  });
  const lengths = new Set<number>();
  for (let i = 1; i <= Math.min(2_000, count); i++) lengths.add(documentSize(plan.document(i)));
  console.log(`| ${fileType} | ${metadata} | ${size} | ${render} | ${prepare} | ${lengths.size} |`);
}

console.log('\n| DAT | µs a row | bytes a row | deflate µs a row | deflated / raw |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const [label, fields] of [
  ['default columns', {}],
  ['withMetadata', { withMetadata: true }],
] as const) {
  const plan = planOf(fields);
  const chunks: Buffer[] = [];
  let start = performance.now();
  for (const chunk of loadFileRows(plan, 'dat', documentSize, 1, count + 1)) chunks.push(chunk);
  const rows = (((performance.now() - start) * 1000) / count).toFixed(2);
  const raw = Buffer.concat(chunks);
  start = performance.now();
  const deflated = deflateRawSync(raw);
  const deflate = (((performance.now() - start) * 1000) / count).toFixed(2);
  console.log(`| ${label} | ${rows} | ${(raw.length / count).toFixed(0)} | ${deflate} | ${(deflated.length / raw.length).toFixed(2)} |`);
}
