import t from 'tap';
import { startServer, postArchive, send } from '../helpers/server.js';
import { readZip } from '../helpers/zip.js';
import { holdDownload, metricValue } from '../helpers/downloads.js';
import { startChildServer } from '../helpers/child-server.js';

t.test('metrics during and after a download', async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const held = await holdDownload(server.origin, { count: 200_000, fileType: 'eml', seed: 1 });
  await new Promise((resolve) => setTimeout(resolve, 200));
  const during = (await send(server.origin, 'GET', '/metrics')).body.toString();
  t.equal(metricValue(during, 'zipper_archives_in_flight'), 1, 'one archive in flight');
  t.equal(metricValue(during, 'zipper_archives_started_total'), 1);
  t.ok(Number(/zipper_documents_generated_total\{file_type="eml"\} (\d+)/.exec(during)?.[1]) > 0, 'documents counted by type');
  t.match(during, /# TYPE zipper_archive_duration_seconds histogram/);
  t.match(during, /# TYPE zipper_documents_per_second gauge/);
  t.match(during, /process_resident_memory_bytes \d+/, 'default process metrics');
  held.abort();
  const done = await postArchive(server.origin, { count: 100, withMetadata: true, seed: 2 });
  t.equal(done.status, 200);
  await new Promise((resolve) => setTimeout(resolve, 100));
  const after = (await send(server.origin, 'GET', '/metrics')).body.toString();
  t.match(after, /zipper_archives_finished_total\{outcome="ok"\} 1/);
  t.match(after, /zipper_archives_finished_total\{outcome="client_aborted"\} 1/);
  t.equal(metricValue(after, 'zipper_archives_in_flight'), 0);
  t.ok(metricValue(after, 'zipper_streamed_bytes_total') >= done.body.length, 'bytes streamed counted');
  t.equal(metricValue(after, 'zipper_load_file_rows_total'), 100, 'load-file rows of the completed archive');
});

t.test('progress of an archive while it streams and after it ends', async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const held = await holdDownload(server.origin, { count: 50_000, seed: 3 });
  const id = held.res.headers['x-archive-id'] as string;
  await new Promise((resolve) => setTimeout(resolve, 200));
  const during = JSON.parse((await send(server.origin, 'GET', `/archives/${id}/progress`)).body.toString());
  t.equal(during.state, 'streaming');
  t.equal(during.documentsTotal, 50_000);
  t.ok(during.documentsWritten > 0 && during.documentsWritten < 50_000, `${during.documentsWritten} written so far`);
  t.ok(during.bytesWritten > 0);
  const body = await held.drain();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const after = JSON.parse((await send(server.origin, 'GET', `/archives/${id}/progress`)).body.toString());
  t.same([after.state, after.documentsWritten, after.bytesWritten, after.etaSeconds], ['completed', 50_000, body.length, 0]);
  t.equal((await readZip(body)).length, 50_001);
  t.equal((await send(server.origin, 'GET', '/archives/00000000-0000-4000-8000-000000000000/progress')).status, 404, 'unknown id');
  t.equal((await send(server.origin, 'GET', '/archives/nope/progress')).status, 400, 'not an id');
});

t.test('over ZIPPER_MAX_CONCURRENT: 503 with Retry-After, counted', async (t) => {
  const server = await startServer({ ZIPPER_MAX_CONCURRENT: '1' });
  t.teardown(() => server.close());
  const held = await holdDownload(server.origin, { count: 100_000, seed: 4 });
  const refused = await postArchive(server.origin, { count: 10 });
  t.equal(refused.status, 503);
  t.equal(refused.headers['retry-after'], '5');
  t.match(refused.headers['content-type'], /problem\+json/);
  t.match(JSON.parse(refused.body.toString()).detail, /ZIPPER_MAX_CONCURRENT/);
  t.match((await send(server.origin, 'GET', '/metrics')).body.toString(), /zipper_archives_finished_total\{outcome="rejected"\} 1/);
  held.abort();
  await new Promise((resolve) => setTimeout(resolve, 100));
  t.equal((await postArchive(server.origin, { count: 10 })).status, 200, 'admitted again once the first ended');
});

/** Sends `exchange` while this process's event loop is kept busy in 150 ms slices, as an overloaded server's would be. */
async function whileLoopIsBusy<T>(exchange: () => Promise<T>): Promise<T> {
  let settled = false;
  const pending = exchange().finally(() => {
    settled = true;
  });
  while (!settled) {
    const until = Date.now() + 150;
    while (Date.now() < until) {
      /* busy: no timers run, so the event-loop delay histogram fills with long delays */
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return pending;
}

t.test('event-loop delay over ZIPPER_MAX_EVENT_LOOP_DELAY_MS: archives shed with 503, health keeps answering', async (t) => {
  const server = await startServer({ ZIPPER_MAX_EVENT_LOOP_DELAY_MS: '50' });
  t.teardown(() => server.close());
  t.equal((await postArchive(server.origin, { count: 3 })).status, 200, 'admitted while the loop is idle');
  // under-pressure samples the delay once a second, so it takes a sample or two to notice.
  let shed: Awaited<ReturnType<typeof postArchive>> | undefined;
  for (let attempt = 0; attempt < 40 && shed?.status !== 503; attempt++) {
    shed = await whileLoopIsBusy(() => postArchive(server.origin, { count: 3 }));
  }
  t.equal(shed?.status, 503, 'shed under load');
  t.equal(shed?.headers['retry-after'], '5');
  t.match(JSON.parse(shed?.body.toString() ?? '{}'), { status: 503, detail: /event-loop delay \d+ ms/ });
  t.equal((await whileLoopIsBusy(() => send(server.origin, 'GET', '/healthz'))).status, 200, '/healthz is never shed');
  t.match((await send(server.origin, 'GET', '/metrics')).body.toString(), /zipper_archives_finished_total\{outcome="rejected"\} [1-9]/);
  let after = shed;
  for (let attempt = 0; attempt < 40 && after?.status !== 200; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    after = await postArchive(server.origin, { count: 3 });
  }
  t.equal(after?.status, 200, 'admitted again once the loop is idle');
});

t.test('ZIPPER_API_KEYS: generating routes need a bearer key, health stays open', async (t) => {
  const server = await startServer({ ZIPPER_API_KEYS: 'alpha-key, beta-key' });
  t.teardown(() => server.close());
  const none = await postArchive(server.origin, { count: 3 });
  t.equal(none.status, 401);
  t.equal(none.headers['www-authenticate'], 'Bearer realm="zipper"');
  t.equal((await postArchive(server.origin, { count: 3 }, { authorization: 'Bearer wrong' })).status, 401);
  t.equal((await send(server.origin, 'POST', '/loadfiles', { count: 3 })).status, 401);
  t.equal((await send(server.origin, 'POST', '/archives/plan', { count: 3 })).status, 401);
  t.equal((await postArchive(server.origin, { count: 3 }, { authorization: 'Bearer beta-key' })).status, 200);
  for (const path of ['/healthz', '/readyz', '/metrics', '/openapi.json']) t.equal((await send(server.origin, 'GET', path)).status, 200, `${path} open`);
});

t.test('SIGTERM drains a real process: readiness false, new archives 503, the in-flight one completes, exit 0', async (t) => {
  const server = await startChildServer({ ZIPPER_SHUTDOWN_GRACE_MS: '20000' });
  const held = await holdDownload(server.origin, { count: 40_000, seed: 5 });
  server.child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.equal((await send(server.origin, 'GET', '/readyz')).status, 503, 'readiness false while draining');
  const refused = await postArchive(server.origin, { count: 5 });
  t.equal(refused.status, 503, 'new archives refused');
  const body = await held.drain();
  const entries = await readZip(body);
  t.equal(entries.length, 40_001, 'the in-flight archive completed and reads back whole');
  t.equal(await server.exited, 0, 'exit code 0');
  const finished = server.logs.filter((line) => line.msg === 'archive finished');
  t.equal(finished.length, 1, 'one log line per archive');
  t.match(finished[0], { outcome: 'completed', documents: 40_000, bytes: body.length, request: { count: 40_000, seed: 5 } });
  t.ok((finished[0]!.durationMs as number) > 0 && (finished[0]!.documentsPerSecond as number) > 0);
});

t.test('an archive cut when the shutdown grace period runs out ends as `shutdown`, not client_aborted', async (t) => {
  const server = await startChildServer({ ZIPPER_SHUTDOWN_GRACE_MS: '300' });
  // A slow client: the archive cannot finish within the grace period.
  const held = await holdDownload(server.origin, { count: 400_000, seed: 6 });
  const id = held.res.headers['x-archive-id'];
  held.res.on('error', () => undefined); // the cut breaks the response
  held.res.on('data', () => {
    held.res.pause();
    setTimeout(() => held.res.resume(), 10);
  });
  const closed = new Promise<boolean>((resolve) => held.res.once('close', () => resolve(held.res.complete)));
  held.res.resume();
  server.child.kill('SIGTERM');
  t.equal(await server.exited, 0, 'exit code 0 after the grace period');
  t.equal(await closed, false, 'the client sees a broken transfer, never a complete-looking one');
  const finished = server.logs.filter((line) => line.msg === 'archive finished');
  t.equal(finished.length, 1);
  t.match(finished[0], { archiveId: id, outcome: 'shutdown' });
  t.ok(server.logs.some((line) => line.msg === 'grace period over: cutting in-flight archives'), 'the cut is logged as such');
});

t.test('failed API keys: logged, then throttled per address with 429 + Retry-After, whatever key comes next', async (t) => {
  const lines: Array<Record<string, unknown>> = [];
  const stream = { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) };
  const server = await startServer({ ZIPPER_API_KEYS: 'alpha-key, a-much-longer-beta-key', ZIPPER_AUTH_MAX_FAILURES: '3', ZIPPER_AUTH_FAILURE_WINDOW_MS: '1500' }, { logger: { level: 'warn', stream } });
  t.teardown(() => server.close());
  const good = { authorization: 'Bearer a-much-longer-beta-key' };
  t.equal((await postArchive(server.origin, { count: 2 }, good)).status, 200, 'a good key passes (keys of any length)');
  for (let attempt = 1; attempt <= 3; attempt++) {
    t.equal((await postArchive(server.origin, { count: 2 }, { authorization: `Bearer guess-${attempt}` })).status, 401, `bad key ${attempt}: 401`);
  }
  const throttled = await postArchive(server.origin, { count: 2 }, { authorization: 'Bearer guess-4' });
  t.equal(throttled.status, 429, 'past ZIPPER_AUTH_MAX_FAILURES: 429');
  t.match(throttled.headers['content-type'], /problem\+json/);
  t.ok(Number(throttled.headers['retry-after']) >= 1, `Retry-After: ${throttled.headers['retry-after']}`);
  t.equal((await postArchive(server.origin, { count: 2 }, good)).status, 429, 'the right key too: a throttled guesser learns nothing');
  t.equal((await send(server.origin, 'GET', '/healthz')).status, 200, 'open routes are not throttled');
  const refused = lines.filter((line) => line.msg === 'API key refused');
  t.equal(refused.length, 3, 'each failure logged');
  t.ok(refused.every((line) => line.level === 40 && line.client === '127.0.0.1'), 'at warn, with the client address');
  t.same(refused.map((line) => line.failures), [1, 2, 3]);
  t.ok(lines.some((line) => line.msg === 'API key throttled' && line.level === 40), 'throttling logged');
  t.notOk(JSON.stringify(lines).includes('guess-'), 'keys given are never logged');
  // The window ends: the address may try again.
  let after = 0;
  for (let attempt = 0; attempt < 40 && after !== 200; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    after = (await postArchive(server.origin, { count: 2 }, good)).status;
  }
  t.equal(after, 200, 'admitted again once the window is over');
});
