import t from 'tap';
import { startServer, send } from '../helpers/server.js';
import { parseRaw, rawSend, within } from '../helpers/raw-http.js';

const server = await startServer();
t.teardown(() => server.close());

function fieldsOf(body: Buffer): string[] {
  return (JSON.parse(body.toString('utf8')).errors as Array<{ field: string }>).map((error) => error.field);
}

t.test('HEAD sends exactly the headers GET sends, bar the download id, and the length, which it measures', async (t) => {
  const comparable = (headers: Record<string, unknown>) => Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'date' && name !== 'x-archive-id'));
  // Small: GET measures before sending too. Large (5,000 documents, over that bound): GET's first response is chunked.
  for (const [path, small] of [
    ['/archives?count=30&seed=99&withMetadata=true', true],
    ['/archives?count=5000&seed=98', false],
  ] as const) {
    const first = await send(server.origin, 'GET', path);
    t.equal(first.headers['content-length'], small ? String(first.body.length) : undefined, small ? 'a small archive: Content-Length' : 'a large one, first made: chunked');
    const head = await send(server.origin, 'HEAD', path);
    const get = await send(server.origin, 'GET', path);
    t.equal(head.status, 200);
    t.equal(head.body.length, 0, 'no body');
    t.equal(head.headers['content-length'], String(get.body.length), 'Content-Length: the bytes GET sends');
    t.same(comparable(head.headers), comparable(get.headers), `${path}: same headers, same values`);
    t.ok(get.headers['x-archive-id'], 'GET names its download');
  }
});

t.test('a body of thousands of unknown fields gets a short error: the first 20 and a count', async (t) => {
  const fields = Object.fromEntries([['count', 1], ...Array.from({ length: 6000 }, (_, k) => [`f${k}`, 1])]);
  const body = JSON.stringify(fields);
  t.ok(body.length < 64 * 1024, `${body.length} bytes of body`);
  const res = await send(server.origin, 'POST', '/archives', body, { 'content-type': 'application/json' });
  t.equal(res.status, 400);
  const problem = JSON.parse(res.body.toString('utf8'));
  t.equal(problem.errors.length, 20, 'twenty listed');
  t.equal(problem.errorCount, 6000, 'all counted');
  t.match(problem.detail, /and 5980 more$/);
  t.ok(res.body.length < 4096, `${res.body.length} bytes of error`);
  const few = await send(server.origin, 'POST', '/archives', { count: 0, colour: 1 });
  t.equal(JSON.parse(few.body.toString('utf8')).errorCount, undefined, 'no count when every error is listed');
});

t.test('bodies: JSON in UTF-8 only; other media types and charsets are 415', async (t) => {
  const plain = await send(server.origin, 'POST', '/archives', '{"count":1}', { 'content-type': 'text/plain' });
  t.equal(plain.status, 415, 'text/plain');
  t.match(plain.headers['content-type'], /^application\/problem\+json/);
  const latin1 = await send(server.origin, 'POST', '/archives/plan', '{"count":1}', { 'content-type': 'application/json; charset=latin1' });
  t.equal(latin1.status, 415, 'charset latin1');
  t.match(JSON.parse(latin1.body.toString('utf8')).detail, /latin1/);
  for (const charset of ['utf-8', 'UTF-8', '"utf-8"']) {
    const ok = await send(server.origin, 'POST', '/archives/plan', '{"count":1}', { 'content-type': `application/json; charset=${charset}` });
    t.equal(ok.status, 200, `charset ${charset}`);
  }
  const empty = await send(server.origin, 'POST', '/archives/plan', '', { 'content-type': 'application/json' });
  t.equal(empty.status, 400, 'empty body');
  t.match(JSON.parse(empty.body.toString('utf8')).detail, /empty/);
});

t.test('__proto__ and constructor keys are unknown fields, named', async (t) => {
  const proto = await send(server.origin, 'POST', '/archives/plan', '{"count":1,"__proto__":{"count":5}}', { 'content-type': 'application/json' });
  t.equal(proto.status, 400);
  t.same(fieldsOf(proto.body), ['__proto__']);
  const nested = await send(server.origin, 'POST', '/archives/plan', '{"count":1,"bates":{"__proto__":{"x":1}}}', { 'content-type': 'application/json' });
  t.equal(nested.status, 400);
  t.match(nested.body.toString('utf8'), /__proto__/);
  const ctor = await send(server.origin, 'POST', '/archives/plan', { count: 1, constructor: { prototype: {} } });
  t.same(fieldsOf(ctor.body), ['constructor']);
  t.equal(({} as Record<string, unknown>).count, undefined, 'no prototype was touched');
});

t.test('errors before routing are problem+json too: 431 for huge headers, 400 for bad framing', async (t) => {
  const big = await rawSend(server.origin, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
  const tooLarge = parseRaw(await within(big.closed, 10_000, ''));
  t.equal(tooLarge.status, 431);
  t.equal(tooLarge.headers['content-type'], 'application/problem+json');
  t.match(JSON.parse(tooLarge.body), { status: 431, title: 'Request Header Fields Too Large' });
  const framing = await rawSend(server.origin, 'POST /archives HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n');
  const bad = parseRaw(await within(framing.closed, 10_000, ''));
  t.equal(bad.status, 400, 'Content-Length with Transfer-Encoding');
  t.equal(bad.headers['content-type'], 'application/problem+json');
  t.match(JSON.parse(bad.body), { status: 400, detail: /not well-formed/ });
});

t.test('query strings: one strict spelling per value', async (t) => {
  for (const count of ['0x10', '1e3', '%2B5', '%205%20', '5.0', '007', '']) {
    const res = await send(server.origin, 'GET', `/archives?count=${count}`);
    t.equal(res.status, 400, `count=${count}`);
    t.same(fieldsOf(res.body), ['count']);
  }
  for (const flag of ['1', 'yes', 'TRUE', 'on']) {
    const res = await send(server.origin, 'GET', `/archives?count=2&withText=${flag}`);
    t.equal(res.status, 400, `withText=${flag}`);
    t.same(fieldsOf(res.body), ['withText']);
  }
  const repeated = await send(server.origin, 'GET', '/archives?count=1&count=2&fileType=pdf&fileType=jpg');
  t.equal(repeated.status, 400);
  const problem = JSON.parse(repeated.body.toString('utf8'));
  t.same(fieldsOf(repeated.body).sort(), ['count', 'fileType']);
  t.notMatch(problem.detail, /NaN/);
  t.match(problem.detail, /count: given more than once/);
  const negative = await send(server.origin, 'GET', '/archives?count=-5');
  t.match(JSON.parse(negative.body.toString('utf8')).detail, /count: Too small/, 'a minus sign is read, then the range applies');
  const ok = await send(server.origin, 'GET', '/archives?count=3&withText=false&folders=2&seed=0');
  t.equal(ok.status, 200, 'canonical spellings are accepted');
});

t.test('control characters are refused, not silently dropped', async (t) => {
  for (const prefix of ['A\r\nB', 'A\u0001', 'A B', 'A/B']) {
    const res = await send(server.origin, 'POST', '/archives/plan', { count: 1, bates: { prefix } });
    t.equal(res.status, 400, JSON.stringify(prefix));
    t.same(fieldsOf(res.body), ['bates.prefix']);
  }
  const name = await send(server.origin, 'POST', '/archives/plan', { count: 1, name: 'case\r\n42' });
  t.same(fieldsOf(name.body), ['name'], 'name with CR/LF');
  const kept = await send(server.origin, 'POST', '/archives/plan', { count: 1, name: 'case 42/x', bates: { prefix: 'AB-1_.' } });
  t.equal(JSON.parse(kept.body.toString('utf8')).archiveName, 'case_42_x.zip', 'other characters in a name still become _');
});
