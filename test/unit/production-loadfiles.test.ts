import t from 'tap';
import { archiveRequestSchema } from '../../src/schemas/archive-request.js';
import { resolveRequest } from '../../src/generator/resolve.js';
import { productionColumns } from '../../src/generator/production/columns.js';
import { ProductionValidationError } from '../../src/generator/production/entries.js';
import { setLoadFileChunks } from '../../src/generator/production/loadfiles.js';
import { SetValidator } from '../../src/generator/production/validate.js';

const limits = { maxCount: 100_000, maxTargetSize: 1e9 };

function production(fields: Record<string, unknown>) {
  const resolution = resolveRequest(archiveRequestSchema(limits, 'json').parse({ seed: 5, bates: { prefix: 'ABC' }, production: {}, ...fields }));
  if (!resolution.ok) throw new Error(resolution.errors[0]!.message);
  return resolution.production!;
}

t.test("a set's DAT alone: rows failing the set's checks throw after the last chunk (a broken transfer)", async (t) => {
  const plan = production({ count: 1200, fileType: 'eml', withFamilies: true, attachmentRate: 50 });
  const set = plan.sets[0]!;
  const names = productionColumns(plan).map((column) => column.name);
  const good = Buffer.concat([...setLoadFileChunks(plan, set, 'dat')]);
  let heard = 0;
  [...setLoadFileChunks(plan, set, 'dat', (rows) => (heard += rows))];
  t.equal(heard, good.toString('utf8').split('\r\n').length - 2, 'onRows hears every data row');

  // A validator expecting one more column than the DAT has: every row is a ColumnCount error.
  const chunks: Buffer[] = [];
  const broken = setLoadFileChunks(plan, set, 'dat', undefined, new SetValidator([...names, 'EXTRA'], plan.loadFiles));
  let thrown: unknown = null;
  try {
    for (const chunk of broken) chunks.push(chunk);
  } catch (error) {
    thrown = error;
  }
  t.ok(thrown instanceof ProductionValidationError, 'throws a ProductionValidationError');
  t.match((thrown as Error).message, /PRODUCTION_001: its DAT failed its validation: \d+ errors \(Expected \d+ columns/);
  t.ok(Buffer.concat(chunks).equals(good), 'after every byte of the file');
  t.ok(chunks.length > 2, 'in several chunks');

  const opt = [...setLoadFileChunks(plan, set, 'opt')];
  t.ok(opt.length > 0, 'an OPT of emails (their attachments are imaged): no throw');
});
