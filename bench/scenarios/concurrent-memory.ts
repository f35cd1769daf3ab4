/**
 * Memory of a burst: N email archives at once (N = ZIPPER_MAX_CONCURRENT, up to its default 16),
 * read as fast as the client can. Server RSS before (idle, after a warm-up), at its peak, and 10 s
 * after the burst: what a container running N archives at once needs, and whether the memory is
 * given back. The server runs as the image runs it (node options and allocator variables read
 * from the Dockerfile).
 */
import { containerRuntime } from '../lib/container-runtime.js';
import { formatInteger, formatMegabytes, formatSeconds, MB, NOT_APPLICABLE } from '../lib/format.js';
import { runHttpClient } from '../lib/http-client.js';
import { RssSampler } from '../lib/rss.js';
import { pick } from '../lib/settings.js';
import { startZipperServer } from '../lib/zipper-server.js';
import { atMost, goalCell } from './goals.js';
import type { GoalCheck, Scenario, ScenarioContext } from './scenario.js';

const GOAL_PEAK_RSS_BYTES = 512 * MB;
const GOAL_AFTER_TO_IDLE = 1.5;
const GOAL_CONCURRENCY = 16;
const AFTER_BURST_MS = 10_000;
const SAMPLE_INTERVAL_MS = 100;
/** Longer than ZIPPER_RELEASE_MEMORY_AFTER_MS (2 s): idle is measured once the warm-up's memory was released. */
const SETTLE_MS = 3_000;
const WARM_UP_COUNT = 1_000;

interface BurstMemory {
  archives: number;
  idleRssBytes: number;
  peakRssBytes: number;
  afterRssBytes: number;
  /** From the end of the burst until RSS was first at most GOAL_AFTER_TO_IDLE × idle (null: not within AFTER_BURST_MS). */
  backWithinMs: number | null;
  documentsPerSecond: number | null;
  bytesPerSecond: number;
  seconds: number;
  failure: string | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function measureBurst(context: ScenarioContext, body: Record<string, unknown> & { count: number }, archives: number): Promise<BurstMemory> {
  const runtime = containerRuntime();
  const server = await startZipperServer(context.settings, 'zipper', { ...runtime.env, ZIPPER_MAX_CONCURRENT: String(archives) }, runtime.nodeArgs);
  try {
    const url = `${server.baseUrl}/archives`;
    const withSeed = { seed: context.settings.seed, ...body };
    const warmUp = await runHttpClient({ requests: [{ url, method: 'POST', body: { ...withSeed, count: WARM_UP_COUNT } }], timeLimitMs: 120_000 });
    if (warmUp.requests.some((r) => !r.completed)) throw new Error(`warm-up failed: ${warmUp.requests[0]?.error}`);
    await sleep(SETTLE_MS);
    const idleRssBytes = server.memory().rssBytes;

    const outcome = await runHttpClient({
      warmUpUrl: `${server.baseUrl}/healthz`,
      requests: Array.from({ length: archives }, () => ({ url, method: 'POST' as const, body: withSeed })),
      timeLimitMs: 600_000,
    });
    const sampler = new RssSampler(server.pid, SAMPLE_INTERVAL_MS);
    await sleep(AFTER_BURST_MS);
    const samples = sampler.stop();
    const { rssBytes: afterRssBytes, peakRssBytes } = server.memory();
    const back = samples.find((sample) => sample.rssBytes <= GOAL_AFTER_TO_IDLE * idleRssBytes);
    const failed = outcome.requests.find((r) => !r.completed || r.status !== 200 || r.zipEntries === null);
    const seconds = outcome.wallMs / 1000;
    return {
      archives,
      idleRssBytes,
      peakRssBytes,
      afterRssBytes,
      backWithinMs: back ? back.elapsedMs : null,
      documentsPerSecond: failed ? null : (archives * body.count) / seconds,
      bytesPerSecond: outcome.requests.reduce((sum, r) => sum + r.bytes, 0) / seconds,
      seconds,
      failure: failed ? `status ${failed.status}, ${failed.bytes} bytes, ${failed.error ?? 'no ZIP end record'}` : null,
    };
  } finally {
    await server.stop();
  }
}

export const concurrentMemory: Scenario = {
  id: 'memory-16',
  title: `${GOAL_CONCURRENCY} concurrent eml archives: memory (peak, after the burst)`,
  async run(context) {
    const count = pick(context.settings, 400_000, 50_000);
    const levels = pick(context.settings, [1, 4, 8, GOAL_CONCURRENCY], [1, 4, GOAL_CONCURRENCY]);
    const body = { count, fileType: 'eml', attachmentRate: 20, withMetadata: true };
    const runtime = containerRuntime();
    const runs: BurstMemory[] = [];
    for (const archives of levels) {
      context.log(`  ${archives} × ${JSON.stringify(body)}`);
      const run = await measureBurst(context, body, archives);
      context.log(
        `    idle ${formatMegabytes(run.idleRssBytes)} MB, peak ${formatMegabytes(run.peakRssBytes)} MB, ` +
          `${AFTER_BURST_MS / 1000} s after ${formatMegabytes(run.afterRssBytes)} MB, ${formatInteger(run.documentsPerSecond)} files/s`,
      );
      runs.push(run);
    }
    const goalRun = runs.find((run) => run.archives === GOAL_CONCURRENCY);
    const afterRatio = (run: BurstMemory) => run.afterRssBytes / run.idleRssBytes;
    const peakMet = atMost(goalRun?.peakRssBytes, GOAL_PEAK_RSS_BYTES);
    const afterMet = goalRun ? atMost(afterRatio(goalRun), GOAL_AFTER_TO_IDLE) : null;
    const peakGoal = `≤ ${formatMegabytes(GOAL_PEAK_RSS_BYTES)} MB`;
    const afterGoal = `≤ ${GOAL_AFTER_TO_IDLE}× idle`;
    const goals: GoalCheck[] = [
      { figure: `peak RSS, ${GOAL_CONCURRENCY} concurrent eml archives`, goal: peakGoal, measured: `${formatMegabytes(goalRun?.peakRssBytes)} MB`, met: peakMet },
      {
        figure: `RSS ${AFTER_BURST_MS / 1000} s after ${GOAL_CONCURRENCY} concurrent archives`,
        goal: afterGoal,
        measured: goalRun ? `${afterRatio(goalRun).toFixed(2)}× (${formatMegabytes(goalRun.afterRssBytes)} / ${formatMegabytes(goalRun.idleRssBytes)} MB)` : NOT_APPLICABLE,
        met: afterMet,
      },
    ];
    const column = (run: BurstMemory) => `${run.archives} at once`;
    return {
      id: this.id,
      title: this.title,
      setup:
        `N × POST /archives ${JSON.stringify(body)} at once (N = ZIPPER_MAX_CONCURRENT), read as fast as one client process can; ` +
        `a fresh server per N, run as the Dockerfile runs it (node ${runtime.nodeArgs.join(' ') || '(no options)'}` +
        `${Object.keys(runtime.env).length > 0 ? `, ${Object.entries(runtime.env).map(([k, v]) => `${k}=${v}`).join(' ')}` : ''}). ` +
        `Idle: VmRSS ${SETTLE_MS / 1000} s after a ${formatInteger(WARM_UP_COUNT)}-document warm-up; peak: VmHWM; after: VmRSS ${AFTER_BURST_MS / 1000} s after the last archive ended.`,
      tables: [
        {
          caption: this.title,
          headers: ['figure', ...runs.map(column), 'goal'],
          rows: [
            ['server RSS idle (MB)', ...runs.map((run) => formatMegabytes(run.idleRssBytes)), ''],
            ['server peak RSS (MB)', ...runs.map((run) => formatMegabytes(run.peakRssBytes)), goalRun ? goalCell(peakGoal, peakMet) : ''],
            [`server RSS ${AFTER_BURST_MS / 1000} s after (MB)`, ...runs.map((run) => formatMegabytes(run.afterRssBytes)), ''],
            ['after / idle', ...runs.map((run) => `${afterRatio(run).toFixed(2)}×`), goalRun ? goalCell(afterGoal, afterMet) : ''],
            [
              `back to ≤ ${GOAL_AFTER_TO_IDLE}× idle after (s)`,
              ...runs.map((run) => (run.backWithinMs === null ? `> ${AFTER_BURST_MS / 1000}` : formatSeconds(run.backWithinMs / 1000))),
              '',
            ],
            ['files/s (all archives)', ...runs.map((run) => formatInteger(run.documentsPerSecond)), ''],
            ['MB/s (all archives)', ...runs.map((run) => formatMegabytes(run.bytesPerSecond)), ''],
            ['wall time (s)', ...runs.map((run) => formatSeconds(run.seconds)), ''],
          ],
        },
      ],
      notes: [
        `Goal (issue 9): ${GOAL_CONCURRENCY} archives at once fit a ${formatMegabytes(GOAL_PEAK_RSS_BYTES)} MB container and give the memory back. ` +
          'Peak RSS per N is what a deployment with ZIPPER_MAX_CONCURRENT = N needs (see README, Memory).',
        ...runs.filter((run) => run.failure !== null).map((run) => `${run.archives} at once failed: ${run.failure}`),
      ],
      goals,
    };
  },
};
