import t from 'tap';
import { startServer, postArchive, send } from '../helpers/server.js';
import { readZip, countsPerFolder } from '../helpers/zip.js';
import { parseDat } from '../helpers/dat.js';
import { leaveAfter } from '../helpers/downloads.js';
import type { PlanSummary } from '../../src/generator/plan-summary.js';

const server = await startServer();
t.teardown(() => server.close());


t.test('the plan agrees with the archive that follows', async (t) => {
  const cases = [
    { count: 777, folders: 6, distribution: 'exponential', withText: true, withMetadata: true, name: 'planned' },
    { count: 300, fileType: 'eml', attachmentRate: 25, folders: 3, distribution: 'gaussian', includeLoadFile: false },
    { count: 120, fileType: 'tiff', targetSize: '3MB', encoding: 'UTF-16' },
  ];
  for (const fields of cases) {
    const planned = await send(server.origin, 'POST', '/archives/plan', fields);
    t.equal(planned.status, 200);
    const plan = JSON.parse(planned.body.toString()) as PlanSummary;
    const res = await postArchive(server.origin, { ...fields, seed: plan.seed });
    const entries = await readZip(res.body);
    const label = JSON.stringify(fields);
    t.equal(plan.entries, entries.length, `${label}: entry count`);
    t.equal(plan.documents, fields.count);
    const type = (fields.fileType ?? 'pdf') as string;
    t.same(plan.fileTypes, { [type]: fields.count }, `${label}: per type`);
    t.same(
      plan.folders.map((folder) => folder.documents),
      countsPerFolder(entries, type, plan.folders.length),
      `${label}: per folder`,
    );
    t.same(plan.folders.map((folder) => folder.name), plan.folders.map((_, k) => `folder_${String(k + 1).padStart(3, '0')}`));
    t.equal(res.headers['content-disposition'], `attachment; filename="${plan.archiveName}"`);
    const [plannedLoadFile] = plan.loadFiles;
    if (plannedLoadFile) {
      const loadFile = entries.find((entry) => entry.name === plannedLoadFile.name);
      t.ok(loadFile, `${label}: load file ${plannedLoadFile.name}`);
      t.same(parseDat(loadFile!.data, plannedLoadFile.encoding as 'UTF-8').header, plannedLoadFile.columns, `${label}: columns`);
    } else {
      t.notOk(entries.some((entry) => entry.name.endsWith('.dat')), `${label}: no load file`);
    }
    const deviation = Math.abs(res.body.length - plan.estimatedBytes) / res.body.length;
    t.ok(deviation < 0.1, `${label}: estimated ${plan.estimatedBytes}, got ${res.body.length} (${(deviation * 100).toFixed(2)} %)`);
  }
});

t.test('the plan gives the exact length when known: small archives measured, large ones once made or measured (HEAD)', async (t) => {
  const plan = async (fields: object) => JSON.parse((await send(server.origin, 'POST', '/archives/plan', fields)).body.toString()) as PlanSummary & { archiveBytes: number | null };
  for (const fields of [
    { count: 200, fileTypes: { pdf: 50, xlsx: 50 }, withText: true, loadFileFormats: ['dat', 'opt'], seed: 41 },
    { count: 100, format: 'tar', seed: 42 },
    { count: 30, bates: { prefix: 'P' }, production: { volumeSize: 10 }, seed: 43 },
  ]) {
    const planned = await plan(fields);
    const res = await postArchive(server.origin, fields);
    t.equal(planned.archiveBytes, res.body.length, `${JSON.stringify(fields)}: exact`);
  }
  const large = { count: 3000, seed: 44 };
  t.equal((await plan(large)).archiveBytes, null, 'large and never made: null (the estimate stands)');
  const whole = await postArchive(server.origin, large);
  t.equal((await plan(large)).archiveBytes, whole.body.length, 'after a download: exact');
  const other = { count: 3000, seed: 45 };
  const head = await send(server.origin, 'HEAD', `/archives?count=3000&seed=45`);
  t.equal((await plan(other)).archiveBytes, Number(head.headers['content-length']), 'after a HEAD: exact');
  const asked = { count: 3000, seed: 46 };
  const measured = JSON.parse((await send(server.origin, 'POST', '/archives/plan?measure=true', asked)).body.toString()) as { archiveBytes: number };
  t.equal(measured.archiveBytes, (await postArchive(server.origin, asked)).body.length, '?measure=true: measured, exact');
  const bad = await send(server.origin, 'POST', '/archives/plan?measure=yes', asked);
  t.equal(bad.status, 400, 'measure is true or false');
  t.match(bad.body.toString(), /measure/);
});

t.test('the plan validates like the archive', async (t) => {
  const res = await send(server.origin, 'POST', '/archives/plan', { count: 0, folders: 500 });
  t.equal(res.status, 400);
  t.match(res.headers['content-type'], /problem\+json/);
  const problem = JSON.parse(res.body.toString()) as { errors: Array<{ field: string }> };
  t.same(problem.errors.map((error) => error.field).sort(), ['count', 'folders']);
});

t.test('POST /loadfiles streams the same load file the archive holds', async (t) => {
  for (const encoding of ['UTF-8', 'UTF-16', 'ANSI'] as const) {
    const fields = { count: 500, fileType: 'eml', withMetadata: true, withText: true, encoding, seed: 8, name: 'only' };
    const alone = await send(server.origin, 'POST', '/loadfiles', fields);
    t.equal(alone.status, 200);
    t.equal(alone.headers['content-disposition'], 'attachment; filename="only.dat"');
    t.match(alone.headers['content-type'], /^text\/plain; charset=/);
    t.equal(alone.headers['x-zipper-seed'], '8');
    const archived = (await readZip((await postArchive(server.origin, fields)).body)).find((entry) => entry.name === 'only.dat')!;
    t.ok(alone.body.equals(archived.data), `${encoding}: byte for byte the archive's load file`);
    t.equal(parseDat(alone.body, encoding).rows.length, 500);
  }
});

t.test('rows made by workers in tasks, and early: the same bytes as one sequential pass', async (t) => {
  const { documentSize } = await import('../../src/generator/documents/index.js');
  const { loadFileChunks } = await import('../../src/generator/loadfile/writer.js');
  // 10,000 documents: several worker tasks; families: rows outnumber documents.
  const fields = { count: 10_000, fileTypes: { eml: 60, pdf: 40 }, attachmentRate: 50, withFamilies: true, withMetadata: true, seed: 12 };
  const alone = await send(server.origin, 'POST', '/loadfiles', { ...fields, loadFileFormat: 'csv' });
  t.equal(alone.status, 200);
  const { resolveRequest } = await import('../../src/generator/resolve.js');
  const { archiveRequestSchema } = await import('../../src/schemas/archive-request.js');
  const resolved = resolveRequest(archiveRequestSchema(server.app.config.limits, 'json').parse({ ...fields, loadFileFormat: 'csv' }));
  if (!resolved.ok) throw new Error(resolved.errors[0]!.message);
  const { plan } = resolved;
  const sequential = Buffer.concat([...loadFileChunks(plan, 'csv', documentSize)]);
  t.ok(alone.body.equals(sequential), `${alone.body.length} bytes, byte for byte one sequential pass`);
  const archived = (await readZip((await postArchive(server.origin, { ...fields, loadFileFormat: 'csv', name: 'fam' })).body)).find((entry) => entry.name === 'fam.csv')!;
  t.ok(archived.data.equals(sequential), "and the archive's load file");
});

t.test('POST /loadfiles: a client that leaves stops the rows', async (t) => {
  await leaveAfter(server.origin, '/loadfiles', { count: 5_000_000, seed: 1 }, 1024 * 1024);
  // The server stays healthy and answers the next request at once.
  const health = await send(server.origin, 'GET', '/healthz');
  t.equal(health.status, 200);
});
