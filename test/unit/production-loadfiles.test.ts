import t from 'tap';
import { archiveRequestSchema } from '../../src/schemas/archive-request.js';
import { resolveRequest } from '../../src/generator/resolve.js';
import { ProductionValidationError } from '../../src/generator/production/entries.js';
import { setLoadFileChunks, setLoadFileMayNeedZip64 } from '../../src/generator/production/loadfiles.js';
import { alterDatRecords } from '../helpers/production.js';

const limits = { maxCount: 100_000, maxTargetSize: 1e9 };

async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer[]> {
  const all: Buffer[] = [];
  for await (const chunk of chunks) all.push(chunk);
  return all;
}

function production(fields: Record<string, unknown>) {
  const resolution = resolveRequest(archiveRequestSchema(limits, 'json').parse({ seed: 5, bates: { prefix: 'ABC' }, production: {}, ...fields }));
  if (!resolution.ok) throw new Error(resolution.errors[0]!.message);
  return resolution.production!;
}

t.test("a set's DAT alone: rows failing the set's checks throw after the last chunk (a broken transfer)", async (t) => {
  const plan = production({ count: 1200, fileType: 'eml', withFamilies: true, attachmentRate: 50 });
  const set = plan.sets[0]!;
  const good = Buffer.concat(await collect(setLoadFileChunks(plan, set, 'dat')));
  let heard = 0;
  await collect(setLoadFileChunks(plan, set, 'dat', undefined, (rows) => (heard += rows)));
  t.equal(heard, good.toString('utf8').split('\r\n').length - 2, 'onRows hears every data row');

  // The 700th document's row written twice: a repeated DOCID.
  const restore = alterDatRecords(5, 1, 700, (records) => [...records, ...records], 1);
  t.teardown(restore);
  const chunks: Buffer[] = [];
  let thrown: unknown = null;
  try {
    for await (const chunk of setLoadFileChunks(plan, set, 'dat')) chunks.push(chunk);
  } catch (error) {
    thrown = error;
  }
  restore();
  t.ok(thrown instanceof ProductionValidationError, 'throws a ProductionValidationError');
  t.match((thrown as Error).message, /PRODUCTION_001: its DAT failed its validation: \d+ errors \(DOCID 'ABC00000700' repeats/);
  t.ok(Buffer.concat(chunks).length > good.length, 'after every byte of the file (the repeated row included)');
  t.ok(chunks.length > 2, 'in several chunks');

  const opt = await collect(setLoadFileChunks(plan, set, 'opt'));
  t.ok(opt.length > 0, 'an OPT of emails (their attachments are imaged): no throw');
});

t.test("a set's DAT that may pass 4 GiB gets Zip64 sizes, sized from its first rows", async (t) => {
  const big = (encoding: string) => {
    const fields = { seed: 5, count: 10_000_000, encoding, withText: true, bates: { prefix: 'ABC' }, production: { redacted: {} } };
    const resolution = resolveRequest(archiveRequestSchema({ maxCount: 10_000_000, maxTargetSize: 1e9 }, 'json').parse(fields));
    if (!resolution.ok) throw new Error(resolution.errors[0]!.message);
    return resolution.production!;
  };
  t.equal(setLoadFileMayNeedZip64(big('UTF-16'), 'dat'), true, '10M redacted rows in UTF-16: about 5 GB');
  t.equal(setLoadFileMayNeedZip64(big('UTF-8'), 'opt'), false, '10M OPT lines in UTF-8: under 1 GB');
  t.equal(setLoadFileMayNeedZip64(production({ count: 1200 }), 'dat'), false, 'a small set');
});
