/**
 * Issue 13, transfer: what a length and a range cost with seeking. Time to first byte of an archive
 * sent with Content-Length (1,000 documents: measured before sending; 100,000 after a HEAD measured
 * it) and of chunked ones (a large archive's first GET: the client leaves at the first byte); a
 * 1M-PDF archive whole (which records its layout, tail included), then a Range from 90 % of it: on
 * the same server (layout known), after a download cut at 90 % (`curl -C -`), after a HEAD, and
 * alone on a fresh server (measured first). Goal (SPEC): that range costs ≤ 15 % of the whole
 * archive's time (docs/transfer-design.md).
 */
import { formatInteger, formatMilliseconds, formatRatio, formatSeconds } from '../lib/format.js';
import { runHttpClient, type ClientRequestSpec, type RequestOutcome } from '../lib/http-client.js';
import { median } from '../lib/raw-limits.js';
import { pick } from '../lib/settings.js';
import { startZipperServer } from '../lib/zipper-server.js';
import type { Scenario, ScenarioContext } from './scenario.js';

const RANGE_GOAL_RATIO = 0.15;
const TTFB_SAMPLES = 3;
/** The archive whose first GET, HEAD and GET after the HEAD are timed. */
const HEAD_COUNT = 100_000;
/** Where the ranges start (and where the cut download stops), as a share of the archive's bytes. */
const RANGE_FROM = 0.9;
/** Untimed on every fresh server before its first measured request: the comparison is of seeking, not of a cold process. */
const WARM_UP_COUNT = 1_000;

async function requests(baseUrl: string, specs: ClientRequestSpec[], stopAfterFirstByte = false): Promise<RequestOutcome[]> {
  const outcome = await runHttpClient({ requests: specs, sequential: true, pauseBetweenMs: 300, warmUpUrl: `${baseUrl}/healthz`, stopAfterFirstByte, timeLimitMs: 600_000 });
  return outcome.requests;
}

async function one(baseUrl: string, spec: ClientRequestSpec): Promise<RequestOutcome> {
  return (await requests(baseUrl, [spec]))[0]!;
}

const archiveUrl = (baseUrl: string, count: number, seed: number) => `${baseUrl}/archives?count=${count}&seed=${seed}`;

/** A server started for `work` alone (nothing known of any archive), warmed by one small archive of another seed. */
async function onFreshServer<T>(context: ScenarioContext, work: (baseUrl: string) => Promise<T>): Promise<T> {
  const server = await startZipperServer(context.settings, 'zipper');
  try {
    await one(server.baseUrl, { url: archiveUrl(server.baseUrl, WARM_UP_COUNT, context.settings.seed - 1), method: 'GET' });
    return await work(server.baseUrl);
  } finally {
    await server.stop();
  }
}

const contentLengthLabel = (m: RequestOutcome | undefined) => (m === undefined ? '—' : m.contentLength === null ? 'no (chunked)' : 'yes');

export const transfer: Scenario = {
  id: 'transfer',
  title: 'Length and ranges: time to first byte with Content-Length, a range from 90 %',
  async run(context) {
    const { settings } = context;
    const rangeCount = pick(settings, 1_000_000, 100_000);
    const largeCounts = [pick(settings, 1_000_000, 100_000), pick(settings, 10_000_000, 1_000_000)];
    const seed = settings.seed;
    // Distinct seeds per row: a first GET cut at its first byte leaves a cut layout of its archive.
    const headSeeds = { chunked: seed + 100, head: seed + 101 };
    const largeSeed = (k: number) => seed + 200 + k;
    const notes: string[] = [];

    const server = await startZipperServer(settings, 'zipper');
    let measured: RequestOutcome[];
    let firstGet: RequestOutcome;
    let head100k: RequestOutcome;
    let afterHead: RequestOutcome;
    let chunked: RequestOutcome[];
    let whole: RequestOutcome;
    let rangeKnown: RequestOutcome;
    let offset: number;
    const rangeSpec = (baseUrl: string): ClientRequestSpec => ({ url: archiveUrl(baseUrl, rangeCount, seed), method: 'GET', headers: { range: `bytes=${offset}-` } });
    try {
      context.log(`  first bytes: 1,000 documents (measured before sending); ${formatInteger(HEAD_COUNT)} first GET, HEAD then GET; chunked large archives`);
      measured = await requests(
        server.baseUrl,
        Array.from({ length: TTFB_SAMPLES }, (_, k) => ({ url: archiveUrl(server.baseUrl, 1_000, seed + k), method: 'GET' as const })),
      );
      firstGet = (await requests(server.baseUrl, [{ url: archiveUrl(server.baseUrl, HEAD_COUNT, headSeeds.chunked), method: 'GET' }], true))[0]!;
      const headThenGet = await requests(
        server.baseUrl,
        [
          { url: archiveUrl(server.baseUrl, HEAD_COUNT, headSeeds.head), method: 'HEAD' },
          { url: archiveUrl(server.baseUrl, HEAD_COUNT, headSeeds.head), method: 'GET' },
        ],
        true,
      );
      head100k = headThenGet[0]!;
      afterHead = headThenGet[1]!;
      chunked = await requests(
        server.baseUrl,
        largeCounts.map((count, k) => ({ url: archiveUrl(server.baseUrl, count, largeSeed(k)), method: 'GET' as const })),
        true,
      );
      context.log(`  ${formatInteger(rangeCount)} PDFs whole (records the layout), then Range from 90 % (layout known)`);
      whole = await one(server.baseUrl, { url: archiveUrl(server.baseUrl, rangeCount, seed), method: 'GET' });
      offset = Math.floor(whole.bytes * RANGE_FROM);
      rangeKnown = await one(server.baseUrl, rangeSpec(server.baseUrl));
    } finally {
      await server.stop();
    }

    context.log('  fresh server: a download cut at 90 %, then Range: bytes=<cut>- (curl -C -)');
    const [cut, resume] = await onFreshServer(context, async (baseUrl) => {
      const cutDownload = await one(baseUrl, { url: archiveUrl(baseUrl, rangeCount, seed), method: 'GET', stopAfterBytes: offset });
      return [cutDownload, await one(baseUrl, { ...rangeSpec(baseUrl), headers: { range: `bytes=${cutDownload.bytes}-` } })] as const;
    });
    context.log('  fresh server: HEAD, then Range from 90 %');
    const [head, rangeAfterHead] = await onFreshServer(context, async (baseUrl) => {
      const measuredHead = await one(baseUrl, { url: archiveUrl(baseUrl, rangeCount, seed), method: 'HEAD' });
      return [measuredHead, await one(baseUrl, rangeSpec(baseUrl))] as const;
    });
    context.log('  fresh server: Range from 90 % alone (measured first)');
    const rangeAlone = await onFreshServer(context, (baseUrl) => one(baseUrl, rangeSpec(baseUrl)));

    // Checks: what each request answered against what it should have (reported, not asserted).
    const expectedRangeBytes = whole.bytes - offset;
    if (whole.status !== 200 || !whole.completed) notes.push(`whole archive: status ${whole.status}, ${whole.bytes} bytes, ${whole.error ?? 'complete'} (expected 200, complete)`);
    if (cut.status !== 200 || cut.bytes !== offset) notes.push(`cut download: status ${cut.status}, ${cut.bytes} bytes (expected 200 and ${offset})`);
    if (head.status !== 200 || head.contentLength !== whole.bytes) notes.push(`HEAD: status ${head.status}, Content-Length ${head.contentLength} (expected 200 and ${whole.bytes})`);
    if (head100k.status !== 200 || head100k.contentLength === null) notes.push(`HEAD of ${HEAD_COUNT} PDFs: status ${head100k.status}, Content-Length ${head100k.contentLength} (expected 200 and a length)`);
    if (afterHead.contentLength === null) notes.push(`GET of ${HEAD_COUNT} PDFs after its HEAD: no Content-Length (expected one)`);
    if (firstGet.contentLength !== null) notes.push(`first GET of ${HEAD_COUNT} PDFs: Content-Length ${firstGet.contentLength} (expected chunked)`);
    const expectedResumeBytes = whole.bytes - cut.bytes;
    const ranges = [
      ['range after the complete download', rangeKnown, expectedRangeBytes],
      ['resume after the cut', resume, expectedResumeBytes],
      ['range after HEAD', rangeAfterHead, expectedRangeBytes],
      ['range alone on a fresh server', rangeAlone, expectedRangeBytes],
    ] as const;
    for (const [label, m, expected] of ranges) {
      if (m.status !== 206 || m.bytes !== expected || !m.completed || m.contentLength !== expected) {
        notes.push(`${label}: status ${m.status}, ${m.bytes} bytes, Content-Length ${m.contentLength}, ${m.error ?? 'complete'} (expected 206, ${expected} bytes, complete)`);
      }
    }

    const wholeMs = whole.completed ? whole.totalMs : null;
    /** A range's time against the whole archive's (null when the range was not a correct 206). */
    const ratio = (m: RequestOutcome, expected: number) => (m.status === 206 && m.bytes === expected && wholeMs !== null ? m.totalMs / wholeMs : null);
    const goalCell = (r: number | null) => `≤ ${RANGE_GOAL_RATIO}× (${r !== null && r <= RANGE_GOAL_RATIO ? 'met' : 'not met'})`;
    const rangeRow = (label: string, known: string, m: RequestOutcome, expected: number) => [
      label,
      known,
      String(m.status),
      formatInteger(m.bytes),
      formatSeconds(m.totalMs / 1000),
      formatRatio(ratio(m, expected), 1),
      goalCell(ratio(m, expected)),
    ];
    const knownRatio = ratio(rangeKnown, expectedRangeBytes);
    const resumeRatio = ratio(resume, expectedResumeBytes);
    const afterHeadRatio = ratio(rangeAfterHead, expectedRangeBytes);
    const headAndRangeRatio = afterHeadRatio === null || head.status !== 200 ? null : (head.totalMs + rangeAfterHead.totalMs) / wholeMs!;
    const aloneRatio = ratio(rangeAlone, expectedRangeBytes);
    const ttfbs = measured.map((m) => m.ttfbMs).filter((v): v is number => v !== null);

    return {
      id: this.id,
      title: this.title,
      setup:
        `GET /archives?count=N&seed=S (HEAD: the same URL); one client, requests one after another; each first-byte row its own seed. ` +
        `Ranges: ${formatInteger(rangeCount)} PDFs, seed ${seed}, Range: bytes=${formatInteger(offset)}- (90 % of ${formatInteger(whole.bytes)} bytes); ` +
        `the cut download stops at that byte and resumes from it. Fresh servers: one untimed GET of ${formatInteger(WARM_UP_COUNT)} PDFs (another seed) first.`,
      tables: [
        {
          caption: 'Time to first byte',
          headers: ['request', 'Content-Length', 'first byte (ms)'],
          rows: [
            [`1,000 PDFs (measured before sending), median of ${TTFB_SAMPLES}`, measured.every((m) => m.contentLength !== null) ? 'yes' : 'no', formatMilliseconds(ttfbs.length > 0 ? median(ttfbs) : null)],
            [`${formatInteger(HEAD_COUNT)} PDFs, first GET`, contentLengthLabel(firstGet), formatMilliseconds(firstGet.ttfbMs)],
            [`${formatInteger(HEAD_COUNT)} PDFs, HEAD (measures the archive): time to its answer`, head100k.contentLength === null ? 'no' : `yes (${formatInteger(head100k.contentLength)})`, formatMilliseconds(head100k.totalMs)],
            [`${formatInteger(HEAD_COUNT)} PDFs, GET after the HEAD`, contentLengthLabel(afterHead), formatMilliseconds(afterHead.ttfbMs)],
            ...largeCounts.map((count, k) => [`${formatInteger(count)} PDFs, first GET`, contentLengthLabel(chunked[k]), formatMilliseconds(chunked[k]?.ttfbMs ?? null)]),
          ],
        },
        {
          caption: `A range from 90 % of ${formatInteger(rangeCount)} PDFs`,
          headers: ['request', 'server knows', 'status', 'bytes', 'time (s)', 'vs whole archive', 'goal'],
          rows: [
            ['whole archive, first GET (records the layout)', 'nothing', String(whole.status), formatInteger(whole.bytes), formatSeconds(whole.totalMs / 1000), '1.00×', ''],
            rangeRow('range from 90 %, same server', 'layout with tail (complete download)', rangeKnown, expectedRangeBytes),
            ['download cut at 90 % (client leaves)', 'nothing (fresh server)', String(cut.status), formatInteger(cut.bytes), formatSeconds(cut.totalMs / 1000), formatRatio(cut.totalMs, wholeMs), ''],
            rangeRow('then Range: bytes=<cut>- (curl -C -): measured from the cut’s point before it (what is made kept), then read back', 'cut layout (points, central headers)', resume, expectedResumeBytes),
            [
              'HEAD (measures the archive)',
              'nothing (fresh server)',
              String(head.status),
              `0 (Content-Length ${head.contentLength === null ? '—' : formatInteger(head.contentLength)})`,
              formatSeconds(head.totalMs / 1000),
              formatRatio(head.totalMs, wholeMs),
              '',
            ],
            rangeRow('then range from 90 %', 'layout with tail (HEAD)', rangeAfterHead, expectedRangeBytes),
            ['HEAD + range', '', '', '', formatSeconds((head.totalMs + rangeAfterHead.totalMs) / 1000), formatRatio(headAndRangeRatio, 1), goalCell(headAndRangeRatio)],
            rangeRow('range from 90 % alone: measured first, then sent', 'nothing (fresh server)', rangeAlone, expectedRangeBytes),
          ],
        },
      ],
      notes: [
        ...notes,
        'Seeking: a large plain archive (> 1,000 documents) records its layout while it is made: a seek point per batch of documents and, when the generation runs to its end, its tail (load files, central directory, end records) in a temp file; when it is cut, the central headers written so far. Layouts are kept by ETag (ZIPPER_LAYOUT_CACHE_SIZE of temp files, 1 GiB by default).',
        'A range starts at the seek point before its first byte: only the documents after it are made (the bytes between the point and the range’s start dropped). With the tail known it is read from its file.',
        'A range whose length is not known is measured first (made once and counted, recording the layout): after a cut download, from its seek point before the range’s first byte, with the central headers saved before it — the bytes made are kept as the tail, so the range is then read back; else from the start (HEAD too). The resume thus makes the documents after the cut once, and the load file and central directory whole (a row and a header per document of the archive). On a server that knows nothing a range costs a whole generation (without sending) plus its own part.',
        'The cut download’s time is the client’s (it leaves at 90 % of the bytes); the first-byte rows’ GETs leave at their first byte, which leaves a cut layout of their archive (hence one seed per row).',
      ],
      goals: [
        {
          figure: `Range starting at 90 % of a ${formatInteger(rangeCount)}-document archive`,
          goal: `≤ ${RANGE_GOAL_RATIO}× the whole archive's time`,
          measured:
            `${formatRatio(knownRatio, 1)} (layout known after a complete download); ` +
            `resume after a cut at 90 %: ${formatRatio(resumeRatio, 1)}; fresh server: HEAD + range ${formatRatio(headAndRangeRatio, 1)}, range alone ${formatRatio(aloneRatio, 1)}`,
          met: settings.quick ? null : knownRatio !== null && knownRatio <= RANGE_GOAL_RATIO,
        },
      ],
    };
  },
};
