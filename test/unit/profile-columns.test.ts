import t from 'tap';
import { ArchivePlan } from '../../src/generator/plan.js';
import { defaultConfig } from '../../src/config.js';
import type { ResolvedRequest } from '../../src/generator/request.js';
import { loadFileColumns, rowContexts } from '../../src/generator/loadfile/columns.js';
import { archiveRequestSchema } from '../../src/schemas/archive-request.js';
import { compileDateFormat, formatDate } from '../../src/generator/loadfile/date-format.js';

function request(fields: Record<string, unknown>): ResolvedRequest {
  const parsed = archiveRequestSchema(defaultConfig.limits, 'json').parse(fields);
  return { ...parsed, seed: (fields.seed as number | undefined) ?? 7 };
}

t.test('hash columns are marked for the hashes, in any spelling Zipper matches', async (t) => {
  const columnProfile = {
    name: 'hashes',
    columns: [
      { name: 'DOCID', type: 'identifier' },
      { name: 'MD5_HASH', type: 'text', generator: 'md5Hash' },
      { name: 'SHA1 HASH', type: 'text' },
      { name: 'sha256hash', type: 'text' },
      { name: 'HASHNOTE', type: 'text' },
    ],
  };
  const columns = loadFileColumns(new ArchivePlan(request({ count: 3, columnProfile })));
  t.same(
    columns.map((column) => [column.name, column.hashAlgorithm]),
    [['DOCID', undefined], ['MD5_HASH', 'md5'], ['SHA1 HASH', 'sha1'], ['SHA256HASH', 'sha256'], ['HASHNOTE', undefined]],
  );
  const litigation = loadFileColumns(new ArchivePlan(request({ count: 3, columnProfile: 'litigation' })));
  t.same(litigation.filter((column) => column.hashAlgorithm).map((column) => column.name), ['MD5HASH', 'SHA1HASH', 'SHA256HASH']);
});

t.test("an attachment's row draws its own values, not its parent's", async (t) => {
  const plan = new ArchivePlan(request({ count: 40, fileType: 'eml', attachmentRate: 100, withFamilies: true, columnProfile: 'full', emptyPercentage: 0 }));
  const columns = loadFileColumns(plan);
  const rows = [...rowContexts(plan, columns, () => 1, 1, 41)].map((row) => columns.map((column) => column.value(row)));
  t.equal(rows.length, 80, 'a parent and a child row per email');
  const custom = columns.findIndex((column) => column.name === 'CUSTOMNUMBER01');
  let differ = 0;
  for (let k = 0; k < rows.length; k += 2) if (rows[k]![custom] !== rows[k + 1]![custom]) differ++;
  t.ok(differ >= 36, `${differ} of 40 children differ from their parent in CUSTOMNUMBER01`);
});

t.test('date formats: tokens and literals, UTC', async (t) => {
  const date = new Date(Date.UTC(2024, 1, 29, 7, 5, 9));
  t.equal(formatDate(compileDateFormat('yyyy-MM-ddTHH:mm:ssZ'), date), '2024-02-29T07:05:09Z');
  t.equal(formatDate(compileDateFormat('dd/MM/yyyy'), date), '29/02/2024');
  t.equal(formatDate(compileDateFormat('MM.dd.yyyy HH:mm'), new Date(Date.UTC(1999, 11, 31, 23, 59, 0))), '12.31.1999 23:59');
  t.equal(formatDate(compileDateFormat('yyyyMMdd'), new Date(Date.UTC(2000, 0, 1))), '20000101');
});
