import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { OUTCOMES } from '../../generator/archive-tracker.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Counts what the tracker does not see: refused archives and load-file rows. */
    metrics: { rejected(): void; loadFileRows(count: number): void };
  }
}

/** Per-second buckets over the last WINDOW seconds: the "current" rates. */
const WINDOW_SECONDS = 10;

class RecentRate {
  private readonly buckets = new Array<number>(WINDOW_SECONDS + 1).fill(0);
  private second = Math.floor(Date.now() / 1000);

  private advance(): void {
    const now = Math.floor(Date.now() / 1000);
    for (let s = Math.max(this.second + 1, now - WINDOW_SECONDS); s <= now; s++) this.buckets[s % this.buckets.length] = 0;
    this.second = Math.max(this.second, now);
  }

  add(count: number): void {
    this.advance();
    this.buckets[this.second % this.buckets.length]! += count;
  }

  /** Per second over the last full WINDOW seconds (the current second still filling is left out). */
  perSecond(): number {
    this.advance();
    let sum = 0;
    for (let s = this.second - WINDOW_SECONDS; s < this.second; s++) sum += this.buckets[s % this.buckets.length]!;
    return sum / WINDOW_SECONDS;
  }
}

const LEGACY_TOTAL_GAUGES = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/** Prometheus metrics with prom-client, read from the archive tracker; served at GET /metrics. */
async function metricsPlugin(app: FastifyInstance): Promise<void> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // prom-client names these gauges `_total`, which Prometheus reserves for counters (promtool
  // check metrics rejects them); the `nodejs_active_*` gauges by type carry the same counts.
  for (const name of LEGACY_TOTAL_GAUGES) registry.removeSingleMetric(name);
  const registers = [registry];
  const started = new Counter({ name: 'zipper_archives_started_total', help: 'Archives whose streaming began.', registers });
  const finished = new Counter({
    name: 'zipper_archives_finished_total',
    help: 'Archives that ended, by outcome (ok, client_aborted, error, shutdown, rejected).',
    labelNames: ['outcome'],
    registers,
  });
  for (const outcome of [...OUTCOMES, 'rejected']) finished.inc({ outcome }, 0);
  new Gauge({
    name: 'zipper_archives_in_flight',
    help: 'Archives streaming now.',
    registers,
    collect() {
      this.set(app.archiveTracker.inFlight);
    },
  });
  const documents = new Counter({ name: 'zipper_documents_generated_total', help: 'Documents written into archives, by file type.', labelNames: ['file_type'], registers });
  const bytes = new Counter({ name: 'zipper_streamed_bytes_total', help: 'Archive bytes sent to clients.', registers });
  const rows = new Counter({ name: 'zipper_load_file_rows_total', help: 'Load-file rows written (in archives and by /loadfiles).', registers });
  const duration = new Histogram({
    name: 'zipper_archive_duration_seconds',
    help: 'Time from the first byte of an archive to its end, by outcome.',
    labelNames: ['outcome'],
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 1800],
    registers,
  });
  const documentRate = new RecentRate();
  const byteRate = new RecentRate();
  new Gauge({
    name: 'zipper_documents_per_second',
    help: `Documents written per second over the last ${WINDOW_SECONDS} s.`,
    registers,
    collect() {
      this.set(documentRate.perSecond());
    },
  });
  new Gauge({
    name: 'zipper_bytes_per_second',
    help: `Archive bytes sent per second over the last ${WINDOW_SECONDS} s.`,
    registers,
    collect() {
      this.set(byteRate.perSecond());
    },
  });

  app.archiveTracker.listen({
    onStart: () => started.inc(),
    onDocument: (_run, fileType) => {
      documents.inc({ file_type: fileType });
      documentRate.add(1);
    },
    onBytes: (_run, count) => {
      bytes.inc(count);
      byteRate.add(count);
    },
    onFinish: (_run, outcome, seconds) => {
      finished.inc({ outcome });
      duration.observe({ outcome }, seconds);
    },
  });
  app.decorate('metrics', {
    rejected: () => finished.inc({ outcome: 'rejected' }),
    loadFileRows: (count: number) => rows.inc(count),
  });

  app.get('/metrics', { schema: { summary: 'Prometheus metrics', hide: false } }, async (_request, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()),
  );
}

export const metrics = fp(metricsPlugin, { name: 'metrics', dependencies: ['archiveTracking'] });
