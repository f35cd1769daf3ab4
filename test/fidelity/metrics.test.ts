/**
 * GET /metrics of the real server, read with curl while archives stream, and judged by
 * Prometheus's own `promtool check metrics` (exposition format and naming conventions).
 */
import t from 'tap';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { tempDir } from './lib/files.js';
import { describeResult, requireTool, run, runOk } from './lib/process.js';
import { curlPost, startServer } from './lib/server.js';
import { holdDownload, metricValue } from '../helpers/downloads.js';

/** promtool comes out of Debian's prometheus package without its service (.ci/run extracts it). */
const PROMTOOL_PACKAGE = 'prometheus (or only its promtool: apt-get download prometheus; dpkg-deb -x, as .ci/run does)';

const server = await startServer(t, { ZIPPER_MAX_CONCURRENT: '2' });

/** curl's copy of /metrics, and what promtool said of it ('' when it exited 0 and printed nothing). */
async function scrape(dir: string, name: string): Promise<{ text: string; promtool: string }> {
  const file = join(dir, `${name}.txt`);
  await runOk(requireTool('curl', 'curl'), ['-sS', '--fail', '-o', file, `${server.url}/metrics`]);
  const check = await run(requireTool('promtool', PROMTOOL_PACKAGE), ['check', 'metrics'], { stdinFile: file });
  const silent = check.code === 0 && (check.stdout + check.stderr).trim() === '';
  return { text: await readFile(file, 'utf8'), promtool: silent ? '' : describeResult(check) };
}

t.test('metrics during downloads and after each outcome pass promtool', async (t) => {
  const dir = await tempDir(t);
  const ok = await curlPost(`${server.url}/archives`, { count: 500, fileTypes: { pdf: 50, eml: 50 }, withMetadata: true, seed: 1 }, join(dir, 'ok.zip'));
  t.equal(ok.status, 200);

  const aborted = await holdDownload(server.url, { count: 100_000, seed: 2 });
  aborted.abort();
  const held = [await holdDownload(server.url, { count: 100_000, seed: 3 }), await holdDownload(server.url, { count: 100_000, fileType: 'eml', seed: 4 })];
  const refused = await run('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '-X', 'POST', '-H', 'content-type: application/json', '-d', '{"count":5}', `${server.url}/archives`]);
  t.equal(refused.stdout, '503', 'a third archive over ZIPPER_MAX_CONCURRENT=2 is refused');
  // The documents/s gauge leaves out the second still filling: scrape in a later second than the
  // completed archive's documents, or a fast machine reads 0.
  await new Promise((resolve) => setTimeout(resolve, Math.max(300, 1050 - (Date.now() % 1000))));

  const { text: during, promtool: duringVerdict } = await scrape(dir, 'during');
  t.equal(duringVerdict, '', 'promtool check metrics accepts the scrape taken during the downloads');
  t.equal(metricValue(during, 'zipper_archives_in_flight'), 2, 'two archives in flight');
  t.equal(metricValue(during, 'zipper_archives_started_total'), 4, 'four started (the refused one never did)');
  t.equal(metricValue(during, 'zipper_archives_finished_total{outcome="ok"}'), 1);
  t.equal(metricValue(during, 'zipper_archives_finished_total{outcome="client_aborted"}'), 1);
  t.equal(metricValue(during, 'zipper_archives_finished_total{outcome="rejected"}'), 1);
  t.ok(metricValue(during, 'zipper_documents_generated_total{file_type="eml"}') >= 250, 'documents counted by type');
  t.ok(metricValue(during, 'zipper_streamed_bytes_total') >= ok.bytes, 'streamed bytes include the completed archive');
  t.equal(metricValue(during, 'zipper_load_file_rows_total'), 500, 'the completed archive wrote 500 load-file rows');
  t.equal(metricValue(during, 'zipper_archive_duration_seconds_count{outcome="ok"}'), 1);
  t.ok(metricValue(during, 'zipper_documents_per_second') > 0, 'recent documents/s');
  t.ok(metricValue(during, 'process_resident_memory_bytes') > 0, 'default process metrics');

  for (const download of held) download.abort();
  await new Promise((resolve) => setTimeout(resolve, 300));
  const { text: after, promtool: afterVerdict } = await scrape(dir, 'after');
  t.equal(afterVerdict, '', 'promtool check metrics accepts the scrape taken after them');
  t.equal(metricValue(after, 'zipper_archives_in_flight'), 0, 'nothing in flight once the clients left');
  t.equal(metricValue(after, 'zipper_archives_finished_total{outcome="client_aborted"}'), 3);
});

t.test('server logged no errors', async (t) => {
  t.same(server.errors(), [], 'no pino line at level error or fatal');
});
