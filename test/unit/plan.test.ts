import t from 'tap';
import { ArchivePlan } from '../../src/generator/plan.js';
import { HARD_MAX_COUNT, defaultConfig } from '../../src/config.js';
import type { ResolvedRequest } from '../../src/generator/request.js';
import { archiveRequestSchema } from '../../src/schemas/archive-request.js';

function request(fields: Record<string, unknown>): ResolvedRequest {
  const parsed = archiveRequestSchema({ ...defaultConfig.limits, maxCount: HARD_MAX_COUNT }, 'json').parse(fields);
  return { ...parsed, seed: (fields.seed as number | undefined) ?? 7 };
}

t.test('document i: names, control number, folder-linked custodian', async (t) => {
  const plan = new ArchivePlan(request({ count: 500, folders: 7, distribution: 'gaussian', withText: true, seed: 1 }));
  const doc = plan.document(1);
  t.equal(doc.controlNumber, 'DOC00000001');
  t.equal(doc.folder, 1);
  t.equal(doc.path, 'folder_001/00000001.pdf');
  t.equal(doc.textPath, 'folder_001/00000001.txt');
  t.equal(doc.custodian, 'Custodian 1');
  const last = plan.document(500);
  t.equal(last.path, 'folder_007/00000500.pdf');
  t.equal(last.custodian, 'Custodian 7');
});

t.test('the plan is pure: same seed, same documents; other seed, other metadata', async (t) => {
  const a = new ArchivePlan(request({ count: 100, fileType: 'eml', seed: 42 }));
  const b = new ArchivePlan(request({ count: 100, fileType: 'eml', seed: 42 }));
  const c = new ArchivePlan(request({ count: 100, fileType: 'eml', seed: 43 }));
  t.same(a.document(37), b.document(37));
  const authors = (plan: ArchivePlan) => Array.from({ length: 100 }, (_, i) => plan.document(i + 1).author).join();
  t.equal(authors(a), authors(b));
  t.not(authors(a), authors(c));
});

t.test('names widen past 8 digits when the count needs it', async (t) => {
  const plan = new ArchivePlan(request({ count: 100_000_000, seed: 1 }));
  t.equal(plan.document(1).path, 'folder_001/000000001.pdf');
  t.equal(plan.document(100_000_000).controlNumber, 'DOC100000000');
});

t.test('attachment rate: an exact share of emails, spread through the archive', async (t) => {
  for (const [count, rate] of [[1000, 30], [999, 33], [10, 100], [10, 0]] as const) {
    const plan = new ArchivePlan(request({ count, fileType: 'eml', attachmentRate: rate, seed: 5 }));
    const flags = Array.from({ length: count }, (_, i) => plan.document(i + 1).hasAttachment);
    const carrying = flags.filter(Boolean).length;
    t.ok(Math.abs(carrying - (count * rate) / 100) < 1, `${count} × ${rate}% → ${carrying}`);
    if (rate > 0 && rate < 100) {
      const firstHalf = flags.slice(0, count / 2).filter(Boolean).length;
      t.ok(Math.abs(firstHalf - carrying / 2) <= 1, 'evenly spread');
    }
  }
});
