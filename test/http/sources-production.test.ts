/**
 * Source-driven productions (issue 14, Zipper's source path modes): a CSV's records as a production,
 * natives Bates-named (bates), Bates-named under the source folders (preserve) or at the source path
 * under ORIGINALS/ (originals); images and texts Bates-named in every mode; the 400s of the mix.
 */
import t from 'tap';
import { startServer } from '../helpers/server.js';
import { readZip } from '../helpers/zip.js';
import { checkSet } from '../helpers/production.js';
import type { ProductionManifest, ValidationReport } from '../../src/generator/production/manifest.js';

const server = await startServer({});
t.teardown(() => server.close());

async function postMultipart(fields: unknown, csv: string) {
  const form = new FormData();
  form.append('request', JSON.stringify(fields));
  form.append('sources', new Blob([csv], { type: 'text/csv' }), 'collection.csv');
  const res = await fetch(`${server.origin}/archives`, { method: 'POST', body: form });
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
}

const CSV = ['FilePath,DocId,Custodian', 'alice/mail/0001.eml,ALICE-0001,Alice', 'alice/docs/plan.docx,,Alice', 'bob\\scans\\receipt.tif,,Bob', 'top.pdf,,Carol', ''].join('\r\n');
const FIELDS = { bates: { prefix: 'ACME' }, tiffPages: { min: 2, max: 2 }, production: { volumeSize: 2 } };

const EXPECTED: Record<string, string[]> = {
  bates: ['NATIVES/VOL001/ACME00000001.eml', 'NATIVES/VOL001/ACME00000002.docx', 'NATIVES/VOL002/ACME00000003.tiff', 'NATIVES/VOL002/ACME00000004.pdf'],
  preserve: ['NATIVES/VOL001/alice/mail/ACME00000001.eml', 'NATIVES/VOL001/alice/docs/ACME00000002.docx', 'NATIVES/VOL002/bob/scans/ACME00000003.tiff', 'NATIVES/VOL002/ACME00000004.pdf'],
  originals: ['ORIGINALS/alice/mail/0001.eml', 'ORIGINALS/alice/docs/plan.docx', 'ORIGINALS/bob/scans/receipt.tif', 'ORIGINALS/top.pdf'],
};

for (const mode of ['bates', 'preserve', 'originals'] as const) {
  t.test(`sourcePathMode ${mode}: the natives where the mode puts them, images and texts Bates-named, every path resolving`, async (t) => {
    const production = mode === 'bates' ? FIELDS.production : { ...FIELDS.production, sourcePathMode: mode };
    const res = await postMultipart({ ...FIELDS, production }, CSV);
    t.equal(res.status, 200, res.status === 200 ? '' : res.body.toString('utf8'));
    const entries = await readZip(res.body);
    const { dat, byName } = checkSet(t, entries, 'PRODUCTION_001');
    const natives = [...byName.keys()].filter((name) => name.startsWith('NATIVES/') || name.startsWith('ORIGINALS/'));
    t.same(natives, EXPECTED[mode], 'the natives, in record order');
    const nativePath = dat.header.indexOf('NATIVE_PATH');
    t.same(
      dat.rows.map((row) => row[nativePath]),
      EXPECTED[mode]!.map((path) => path.replaceAll('/', '\\')),
      'NATIVE_PATH names them',
    );
    t.same(
      [...byName.keys()].filter((name) => name.startsWith('IMAGES/')),
      ['IMAGES/VOL001/ACME00000001.tif', 'IMAGES/VOL001/ACME00000002.tif', 'IMAGES/VOL002/ACME00000003_001.tif', 'IMAGES/VOL002/ACME00000003_002.tif', 'IMAGES/VOL002/ACME00000004.tif'],
      'images Bates-named in every mode, a page each',
    );
    t.same(dat.rows.map((row) => row[dat.header.indexOf('DOCID')]), ['ACME00000001', 'ACME00000002', 'ACME00000003', 'ACME00000004'], 'DOCID is the Bates number, not the source control number');
    const manifest = JSON.parse(byName.get('_manifest.json')!.data.toString('utf8')) as ProductionManifest;
    t.equal(manifest.directories.originals, mode === 'originals' ? 'ORIGINALS' : undefined, 'directories.originals in originals mode only');
    t.equal(manifest.fileType, 'pdf,tiff,eml,docx');
    t.equal((JSON.parse(byName.get('_validation_report.json')!.data.toString('utf8')) as ValidationReport).status, 'passed');
  });
}

t.test('a source-driven production: what it refuses', async (t) => {
  const problem = (body: Buffer) => JSON.parse(body.toString('utf8')) as { errors: Array<{ field: string }> };
  const withBates = await postMultipart({ bates: { prefix: 'ACME' }, production: { rolling: { count: 2 } } }, 'FilePath,BatesNumber\r\na.pdf,X0001\r\n');
  t.equal(withBates.status, 400);
  t.same(
    problem(withBates.body).errors.map((error) => error.field),
    ['sources[row 1].BatesNumber', 'production.rolling.count'],
    'a source Bates number (the production numbers its documents) and rolling sets, in one answer',
  );
  const res = await fetch(`${server.origin}/archives`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ count: 2, bates: { prefix: 'A' }, production: { sourcePathMode: 'preserve' } }) });
  t.equal(res.status, 400);
  t.same(
    problem(Buffer.from(await res.arrayBuffer())).errors.map((error) => error.field),
    ['production.sourcePathMode'],
    'sourcePathMode without sources',
  );
});
