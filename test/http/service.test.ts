import { readFile } from 'node:fs/promises';
import t from 'tap';
import { startServer, send } from '../helpers/server.js';
import { OPENAPI_PATH, openApiDocument } from '../../src/openapi/document.js';

const server = await startServer();
t.teardown(() => server.close());

t.test('health and readiness', async (t) => {
  const health = await send(server.origin, 'GET', '/healthz');
  t.equal(health.status, 200);
  t.same(JSON.parse(health.body.toString()), { status: 'ok' });
  const ready = await send(server.origin, 'GET', '/readyz');
  t.equal(ready.status, 200);
});

t.test('OpenAPI served at /openapi.json and browsable at /docs', async (t) => {
  const res = await send(server.origin, 'GET', '/openapi.json');
  t.equal(res.status, 200);
  const doc = JSON.parse(res.body.toString());
  t.equal(doc.openapi, '3.1.0');
  const body = doc.paths['/archives'].post.requestBody.content['application/json'].schema;
  t.same(body.required, ['count']);
  t.ok(body.properties.targetSize && body.properties.attachmentRate && body.properties.compression);
  t.ok(doc.paths['/archives'].get.parameters.some((p: { name: string }) => p.name === 'count'));
  // Every $ref points at a schema the document holds (PlanSummary, Problem, ArchiveProgress …).
  const refs = [...new Set(JSON.stringify(doc).match(/#\/components\/schemas\/[A-Za-z]+/g) ?? [])];
  t.ok(refs.length >= 3, `the document refers to named schemas (${refs.join(', ')})`);
  t.same(refs.filter((ref) => !doc.components?.schemas?.[ref.split('/').pop()!]), [], 'no dangling $ref');
  const docs = await send(server.origin, 'GET', '/docs/');
  t.equal(docs.status, 200);
  t.match(docs.body.toString(), /swagger/i);
});

t.test('the committed OpenAPI document is generated from the zod schemas (npm run openapi)', async (t) => {
  const committed = await readFile(OPENAPI_PATH, 'utf8').catch(() => '');
  t.equal(committed, await openApiDocument(), `${OPENAPI_PATH} is stale: run npm run openapi and commit it`);
});
