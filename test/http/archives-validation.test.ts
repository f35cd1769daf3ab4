import t, { type Test } from 'tap';
import { startServer, postArchive, send } from '../helpers/server.js';

const server = await startServer({ ZIPPER_MAX_COUNT: '50000', ZIPPER_MAX_TARGET_SIZE: '1GB' });
t.teardown(() => server.close());

interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors: Array<{ field: string; message: string }>;
}

async function expectFields(t: Test, body: unknown, fields: string[], label: string) {
  const res = await postArchive(server.origin, body);
  t.equal(res.status, 400, `${label}: 400`);
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', `${label}: problem+json`);
  const problem = JSON.parse(res.body.toString('utf8')) as ProblemBody;
  t.equal(problem.status, 400);
  t.same([...new Set(problem.errors.map((error) => error.field))].sort(), [...fields].sort(), `${label}: names ${fields.join(', ')}`);
  for (const field of fields) t.match(problem.detail, field, `${label}: detail mentions ${field}`);
  return problem;
}

t.test('each bad field is named in a 400 problem+json', async (t) => {
  await expectFields(t, { count: 0 }, ['count'], 'count 0');
  await expectFields(t, { count: 50_001 }, ['count'], 'count over ZIPPER_MAX_COUNT');
  await expectFields(t, { count: 1.5 }, ['count'], 'fractional count');
  await expectFields(t, {}, ['count'], 'missing count');
  await expectFields(t, { count: 10, folders: 0 }, ['folders'], 'folders 0');
  await expectFields(t, { count: 10, folders: 101 }, ['folders'], 'folders 101');
  await expectFields(t, { count: 10, colour: 'red' }, ['colour'], 'unknown field');
  await expectFields(t, { count: 10, fileType: 'gif' }, ['fileType'], 'bad enum');
  await expectFields(t, { count: 10, distribution: 'uniform' }, ['distribution'], 'bad distribution');
  await expectFields(t, { count: 10, encoding: 'EBCDIC' }, ['encoding'], 'bad encoding');
  await expectFields(t, { count: 10, attachmentRate: 30 }, ['attachmentRate'], 'attachmentRate with pdf');
  await expectFields(t, { count: 10, fileType: 'eml', attachmentRate: 101 }, ['attachmentRate'], 'attachmentRate 101');
  await expectFields(t, { count: 10, targetSize: '12 parsecs' }, ['targetSize'], 'malformed targetSize');
  await expectFields(t, { count: 10, targetSize: '2GB' }, ['targetSize'], 'targetSize over ZIPPER_MAX_TARGET_SIZE');
  const impossible = await expectFields(t, { count: 1000, targetSize: '10KB' }, ['targetSize'], 'impossible targetSize');
  t.match(impossible.detail, /smallest archive/);
  await expectFields(t, { count: 10, seed: -1 }, ['seed'], 'negative seed');
  await expectFields(t, { count: 10, withText: 'yes' }, ['withText'], 'boolean as text in JSON');
});

t.test('several bad fields are all named at once', async (t) => {
  await expectFields(t, { count: 0, folders: 500, fileType: 'doc', extra: 1, other: 2 }, ['count', 'folders', 'fileType', 'extra', 'other'], 'five');
});

t.test('query strings are validated the same way', async (t) => {
  const res = await send(server.origin, 'GET', '/archives?count=abc&folders=0&withText=maybe');
  t.equal(res.status, 400);
  const problem = JSON.parse(res.body.toString('utf8')) as ProblemBody;
  t.same([...new Set(problem.errors.map((error) => error.field))].sort(), ['count', 'folders', 'withText']);
  const ok = await send(server.origin, 'GET', '/archives?count=3&withText=true&targetSize=200000&seed=1');
  t.equal(ok.status, 200);
  t.equal(ok.headers['content-type'], 'application/zip');
});

t.test('malformed JSON and wrong media types are problems too', async (t) => {
  const broken = await send(server.origin, 'POST', '/archives', '{"count": ', { 'content-type': 'application/json' });
  t.equal(broken.status, 400);
  t.match(broken.headers['content-type'], /^application\/problem\+json/);
  const text = await send(server.origin, 'POST', '/archives', '<count>3</count>', { 'content-type': 'application/xml' });
  t.equal(text.status, 415);
  t.match(text.headers['content-type'], /^application\/problem\+json/);
  const missing = await send(server.origin, 'GET', '/nowhere');
  t.equal(missing.status, 404);
  t.match(missing.headers['content-type'], /^application\/problem\+json/);
});

t.test('server limits come from the environment and are validated at start', async (t) => {
  const { loadConfig } = await import('../../src/config.js');
  t.throws(() => loadConfig({ ZIPPER_MAX_COUNT: 'lots' }), { name: 'ConfigError', message: /ZIPPER_MAX_COUNT/ });
  t.throws(() => loadConfig({ ZIPPER_MAX_TARGET_SIZE: '5 bananas' }), { name: 'ConfigError', message: /ZIPPER_MAX_TARGET_SIZE/ });
  t.throws(() => loadConfig({ ZIPPER_MAX_COUNT: '0', PORT: '70000' }), { message: /PORT.*ZIPPER_MAX_COUNT/ }, 'every bad variable named');
  t.equal(loadConfig({}).limits.maxCount, 10_000_000);
  t.equal(loadConfig({ ZIPPER_MAX_TARGET_SIZE: '2GiB' }).limits.maxTargetSize, 2 ** 31);
});
