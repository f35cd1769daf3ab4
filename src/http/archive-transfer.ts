import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ArchiveRun } from '../generator/archive-tracker.js';
import { layoutKnowable, type ArchiveStreamOptions } from '../generator/archive.js';
import { measureArchiveLength } from '../generator/archive-length.js';
import { productionSections, ProductionValidationError } from '../generator/production/entries.js';
import type { Resolution } from '../generator/resolve.js';
import type { ResolvedRequest } from '../generator/request.js';
import { recordLayout, type ArchiveSeek, type LayoutRecorder, type RecordLayoutOptions } from '../generator/seek/archive-layout.js';
import { GENERATOR_VERSION } from '../generator/version.js';
import { sendProblem } from './problems.js';

/**
 * Archives of at most this many documents are measured before they are sent (made once, counted),
 * so the first response carries Content-Length. Measured here: time to first byte 17–37 ms at 1,000
 * documents of any type (60 ms once, xlsx); at 2,000, 40 ms for PDFs but 80–120 ms for emails, over
 * the 50 ms goal. Larger archives go chunked until a complete download, a HEAD or a Range request
 * (which measure) has told their length.
 */
export const MEASURE_BEFORE_SENDING_MAX_DOCUMENTS = 1_000;
/** …and of at most about this many bytes (a few documents padded to gigabytes would be made twice). */
export const MEASURE_BEFORE_SENDING_MAX_BYTES = 32 * 2 ** 20;

/** Strong validator over what determines the bytes: the normalised request, its seed, the generator. */
export function archiveEtag(request: ResolvedRequest): string {
  // A source-driven set's records stand in by their digest (the table's file and offsets are this request's own).
  const fields = Object.entries(request).map(([key, value]) => [key, key === 'sources' && value ? { digest: request.sources!.digest } : value] as const);
  const canonical = JSON.stringify(Object.fromEntries(fields.sort(([a], [b]) => a.localeCompare(b))));
  return `"${createHash('sha256').update(`${GENERATOR_VERSION}\n${canonical}`).digest('base64url')}"`;
}

/**
 * One request's archive as the routes send it: its ETag, how it is made (engine, pool, a
 * production's sections), its length (remembered, or measured), and where a range may start in it
 * (a layout this process recorded: docs/transfer-design.md).
 */
export class ArchiveTransfer {
  readonly etag: string;
  /** Its documents (a production's: count × sets). */
  readonly documents: number;
  /** A production's estimate is one set's natives', times its sets. */
  readonly estimatedBytes: number;
  /** Measured before it is sent: its first response carries Content-Length. */
  readonly small: boolean;
  /** Its layout is recorded as it is made, and ranges seek in it (large plain archives only: small ones are cheap to make again). */
  readonly knowable: boolean;

  constructor(
    private readonly app: FastifyInstance,
    private readonly resolution: Extract<Resolution, { ok: true }>,
  ) {
    const { plan, production } = resolution;
    this.etag = archiveEtag(resolution.request);
    this.estimatedBytes = resolution.estimatedBytes * (production?.sets.length ?? 1);
    this.documents = production ? production.archive.count : plan.count;
    this.small = this.documents <= MEASURE_BEFORE_SENDING_MAX_DOCUMENTS && this.estimatedBytes <= MEASURE_BEFORE_SENDING_MAX_BYTES;
    this.knowable = !production && !this.small && layoutKnowable(plan, { engine: app.config.zipEngine });
  }

  /** Options to make it with; fresh each time (a production's sections are read once). */
  streamOptions(extra: ArchiveStreamOptions): ArchiveStreamOptions {
    const { app } = this;
    const { production } = this.resolution;
    return {
      engine: app.config.zipEngine,
      pool: app.generatorPool,
      tempDir: app.config.tempDir,
      ...(production ? { sections: productionSections(production, app.generatorPool) } : {}),
      ...extra,
    };
  }

  /** Its length, if this process knows it. */
  knownLength(): number | undefined {
    return this.app.archiveLayouts.length(this.etag);
  }

  /** A recorder of its layout into the cache (none when it has no layout to keep). */
  recorder(options: Omit<RecordLayoutOptions, 'maxTailBytes'> = {}): LayoutRecorder | undefined {
    const layouts = this.app.archiveLayouts;
    return this.knowable ? recordLayout((layout) => layouts.offer(this.etag, layout), { ...options, maxTailBytes: this.app.config.layoutCacheSize }) : undefined;
  }

  /**
   * Its length, made once and counted (its layout recorded on the way): from a seek point a cut
   * download left (the last before `firstByte`, the byte a range asks first; else its furthest),
   * with the central headers before it, else from the start. From a cut, what is made is also copied
   * when it likely fits the cache (the estimated rest within half of it): the range that asked is
   * then read back, not made a second time.
   */
  measure(signal: AbortSignal, firstByte?: number): Promise<number> {
    // One measurement per archive at a time: the parallel ranges of a segmented download share it.
    return this.app.archiveLayouts.measured(this.etag, signal, () => this.measureNow(signal, firstByte));
  }

  private async measureNow(signal: AbortSignal, firstByte: number | undefined): Promise<number> {
    const cut = this.knowable ? this.app.archiveLayouts.layout(this.etag) : undefined;
    const from = (firstByte !== undefined ? cut?.pointAt(firstByte) : undefined) ?? cut?.points.at(-1);
    const copyFromStart = from !== undefined && this.estimatedBytes - from.offset <= this.app.config.layoutCacheSize / 2;
    const start = cut && from ? { seek: cut.seekTo(from), recorder: this.recorder({ known: cut.pointsTo(from), copyFromStart }) } : { recorder: this.recorder() };
    const stats = this.app.generatorStats;
    const length = await measureArchiveLength(this.resolution.plan, this.streamOptions({ signal, ...start, onDocument: () => stats.documentsGenerated++ }));
    this.app.archiveLayouts.setLength(this.etag, length);
    return length;
  }

  /**
   * Its length for a response (a GET's, counted in `tracked`), measured: null when the reply is
   * settled instead — the client left (nothing to answer), or the archive failed before the status
   * line (a production's validation: a 500 naming the set, which concerns the archive, not the
   * server's secrets).
   */
  async measureFor(request: FastifyRequest, reply: FastifyReply, signal: AbortSignal, tracked: { archiveId: string; run: ArchiveRun }, firstByte?: number): Promise<number | null> {
    const { archiveId, run } = tracked;
    try {
      return await this.measure(signal, firstByte);
    } catch (error) {
      run.finish(signal.aborted ? 'client_aborted' : 'error');
      if (signal.aborted) {
        request.log.info({ archiveId, outcome: run.state }, 'archive finished: its client left while it was measured');
        reply.hijack();
        return null;
      }
      if (error instanceof ProductionValidationError) {
        request.log.error({ err: error }, 'production failed its validation');
        sendProblem(reply, { type: 'about:blank', title: 'Internal Server Error', status: 500, detail: error.message });
        return null;
      }
      throw error;
    }
  }

  /**
   * Its length for a response that sends no archive (HEAD, the plan): measuring makes the archive,
   * so it is admitted and counted in flight like a download (the concurrency limit, draining). Null
   * when the reply is settled instead (refused: 503; see measureFor).
   */
  async measureAdmitted(request: FastifyRequest, reply: FastifyReply, signal: AbortSignal): Promise<number | null> {
    const { app } = this;
    if (!app.admitArchive(reply)) return null;
    const archiveId = randomUUID();
    const run = app.archiveTracker.start(archiveId, this.documents, this.estimatedBytes);
    const length = await this.measureFor(request, reply, signal, { archiveId, run });
    if (length !== null) run.finish('ok');
    return length;
  }

  /** Where a generation whose first wanted byte is `first` starts: a seek point before it, if a layout knows one past the start. */
  seekFor(first: number): ArchiveSeek | undefined {
    const layout = this.knowable && first > 0 ? this.app.archiveLayouts.layout(this.etag) : undefined;
    const point = layout?.pointAt(first);
    return layout && point && point.offset > 0 ? layout.seekTo(point) : undefined;
  }
}
