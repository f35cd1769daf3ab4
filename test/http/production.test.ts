import t, { type Test } from 'tap';
import { startServer, send } from '../helpers/server.js';

const server = await startServer({ ZIPPER_MAX_COUNT: '50000' });
t.teardown(() => server.close());

interface ProblemBody {
  status: number;
  detail: string;
  errors: Array<{ field: string; message: string }>;
}

const BATES = { prefix: 'ABC', start: 1, digits: 8 };

function prior(start: string, end: string, prefix = 'ABC', digits = 8) {
  return { productionId: 'PRIOR', batesRange: { start, end, prefix, digits } };
}

async function expectFields(t: Test, path: string, body: unknown, fields: string[], label: string): Promise<ProblemBody> {
  const res = await send(server.origin, 'POST', path, body);
  t.equal(res.status, 400, `${label}: 400`);
  const problem = JSON.parse(res.body.toString('utf8')) as ProblemBody;
  t.same([...new Set(problem.errors.map((error) => error.field))].sort(), [...fields].sort(), `${label}: names ${fields.join(', ')}`);
  for (const field of fields) t.match(problem.detail, field, `${label}: detail mentions ${field}`);
  return problem;
}

t.test('production: fields it needs, fields it refuses, bad options (400 before the first byte)', async (t) => {
  const plan = '/archives/plan';
  await expectFields(t, plan, { count: 10, production: {} }, ['bates.prefix'], 'no bates');
  await expectFields(t, plan, { count: 10, bates: { start: 5 }, production: {} }, ['bates.prefix'], 'bates without prefix');
  await expectFields(t, plan, { count: 10, bates: BATES, columnProfile: 'minimal', production: {} }, ['columnProfile'], 'columnProfile');
  await expectFields(t, plan, { count: 10, bates: BATES, chaos: { amount: 1 }, production: {} }, ['chaos'], 'chaos');
  await expectFields(t, plan, { count: 10, bates: BATES, targetSize: '10MB', production: {} }, ['targetSize'], 'targetSize');
  await expectFields(t, plan, { count: 10, bates: BATES, production: { id: 'a b' } }, ['production.id'], 'id with a space');
  await expectFields(t, plan, { count: 10, bates: BATES, production: { id: '../x' } }, ['production.id'], 'id with a path');
  const derived = await expectFields(t, plan, { count: 10, bates: BATES, production: { id: `${'A'.repeat(98)}99`, rolling: { count: 2 } } }, ['production.id'], 'derived id too long');
  t.match(derived.detail, /rolling set id/);
  await expectFields(t, plan, { count: 10, bates: BATES, production: { volumeSize: 0 } }, ['production.volumeSize'], 'volumeSize 0');
  await expectFields(t, plan, { count: 10, bates: BATES, production: { rolling: { count: 0 } } }, ['production.rolling.count'], 'rolling count 0');
  await expectFields(t, plan, { count: 30_000, bates: BATES, production: { rolling: { count: 2 } } }, ['production.rolling.count'], 'sets over ZIPPER_MAX_COUNT');
  await expectFields(t, plan, { count: 10, bates: BATES, production: { rolling: { batesMode: 'skip' } } }, ['production.rolling.batesMode'], 'bad batesMode');
  await expectFields(t, plan, { count: 10, bates: BATES, production: { redacted: { withheldNativePolicy: 'burn' } } }, ['production.redacted.withheldNativePolicy'], 'bad policy');
  await expectFields(t, plan, { count: 10, bates: BATES, production: { supplemental: { priorManifests: [] } } }, ['production.supplemental.priorManifests'], 'no priors');
  await expectFields(t, plan, { count: 10, bates: BATES, production: { colour: 'red' } }, ['production.colour'], 'unknown production key');
});

t.test('production: Bates overflow and supplemental ranges are 400s naming the field', async (t) => {
  const plan = '/archives/plan';
  const overflow = await expectFields(t, plan, { count: 100, bates: { prefix: 'ABC', digits: 2 }, production: {} }, ['bates.digits'], 'overflow');
  t.match(overflow.detail, /up to 99/);
  // Per document, not per page: 99 multipage TIFFs fit 2 digits.
  const fits = await send(server.origin, 'POST', plan, { count: 99, fileType: 'tiff', tiffPages: { min: 3, max: 3 }, bates: { prefix: 'ABC', digits: 2 }, production: {}, seed: 1 });
  t.equal(fits.status, 200, 'production Bates count documents, not pages');
  const rollingOverflow = await expectFields(t, plan, { count: 60, bates: { prefix: 'ABC', digits: 2 }, production: { rolling: { count: 2 } } }, ['bates.digits'], 'continuous sets overflow');
  t.match(rollingOverflow.detail, /up to 120/);
  const restart = await send(server.origin, 'POST', plan, { count: 60, bates: { prefix: 'ABC', digits: 2 }, production: { rolling: { count: 2, batesMode: 'restart' } }, seed: 1 });
  t.equal(restart.status, 200, 'restart sets fit');

  const priors = [prior('ABC00000001', 'ABC00000010')];
  const overlap = await expectFields(t, plan, { count: 10, bates: { ...BATES, start: 5 }, production: { supplemental: { priorManifests: priors } } }, ['production.supplemental.priorManifests'], 'overlap');
  t.match(overlap.detail, /Duplicate Bates numbers in ranges: 'ABC00000005-ABC00000010'/);
  const gap = await expectFields(t, plan, { count: 10, bates: { ...BATES, start: 20 }, production: { supplemental: { priorManifests: priors } } }, ['production.supplemental.priorManifests'], 'gap');
  t.match(gap.detail, /Skipped Bates numbers in ranges: 'ABC00000011-ABC00000019'/);
  const allowed = await send(server.origin, 'POST', plan, { count: 10, bates: { ...BATES, start: 20 }, production: { supplemental: { priorManifests: priors, gapPolicy: 'allow' } }, seed: 1 });
  t.equal(allowed.status, 200, 'gapPolicy allow: planned');
  const next = await send(server.origin, 'POST', plan, { count: 10, bates: { ...BATES, start: 11 }, production: { supplemental: { priorManifests: priors } }, seed: 1 });
  t.equal(next.status, 200, 'the next number: planned');
  const malformed = await expectFields(
    t,
    plan,
    { count: 10, bates: { ...BATES, start: 11 }, production: { supplemental: { priorManifests: [priors[0], {}, prior('XYZ00000001', 'XYZ00000002', 'XYZ')] } } },
    ['production.supplemental.priorManifests.1', 'production.supplemental.priorManifests.2'],
    'malformed and foreign priors',
  );
  t.match(malformed.detail, /priorManifests\[1\] has no batesRange/);
  t.match(malformed.detail, /Bates prefix 'XYZ'/);
});

t.test('production: archives and load files answer 400 naming production until they are generated', async (t) => {
  const body = { count: 10, bates: BATES, production: {} };
  const archive = await expectFields(t, '/archives', body, ['production'], 'POST /archives');
  t.match(archive.detail, /POST \/archives\/plan/);
  await expectFields(t, '/loadfiles', body, ['production'], 'POST /loadfiles');
  const query = await send(server.origin, 'GET', `/archives?count=10&bates=${encodeURIComponent(JSON.stringify(BATES))}&production=${encodeURIComponent('{"id":"a b"}')}`);
  t.equal(query.status, 400);
  t.same((JSON.parse(query.body.toString('utf8')) as ProblemBody).errors.map((error) => error.field), ['production.id'], 'query string: the same rules');
  const queryOk = await send(server.origin, 'GET', `/archives?count=10&bates=${encodeURIComponent(JSON.stringify(BATES))}&production=%7B%7D`);
  t.same((JSON.parse(queryOk.body.toString('utf8')) as ProblemBody).errors.map((error) => error.field), ['production'], 'query string: a valid production is not streamed yet');
});
