import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { ArchiveTracker } from '../../generator/archive-tracker.js';
import { sendProblem, unavailable } from '../../http/problems.js';

/** Seconds a refused client is told to wait. */
export const RETRY_AFTER_SECONDS = 5;

declare module 'fastify' {
  interface FastifyInstance {
    archiveTracker: ArchiveTracker;
    /** Readiness turns false and new archives are refused; in-flight ones go on. */
    beginDrain(): void;
    isDraining(): boolean;
    /** The grace period is over: archives still streaming are about to be cut, and end as `shutdown`. */
    beginShutdownCut(): void;
    isCuttingForShutdown(): boolean;
    /** Sends 503 and returns false when no new archive may start now (draining, or at the limit). */
    admitArchive(reply: FastifyReply): boolean;
  }
  interface FastifyContextConfig {
    /** The route generates archives or load files: limits, load shedding and API keys apply. */
    generates?: boolean;
  }
}

/**
 * The archive tracker, the concurrency limit and draining for shutdown: what decides whether a new
 * archive may start (load shedding on event-loop delay is a plugin of its own).
 */
async function archiveTrackingPlugin(app: FastifyInstance): Promise<void> {
  const { maxConcurrent, progressRetentionMs } = app.config;
  const tracker = new ArchiveTracker(progressRetentionMs);
  let draining = false;
  let cutting = false;
  app.decorate('archiveTracker', tracker);
  app.decorate('beginDrain', () => {
    draining = true;
  });
  app.decorate('isDraining', () => draining);
  app.decorate('beginShutdownCut', () => {
    cutting = true;
  });
  app.decorate('isCuttingForShutdown', () => cutting);
  app.decorate('admitArchive', (reply: FastifyReply) => {
    const refusal = draining
      ? 'the service is shutting down'
      : tracker.inFlight >= maxConcurrent
        ? `${maxConcurrent} archives are streaming (ZIPPER_MAX_CONCURRENT)`
        : null;
    if (refusal === null) return true;
    app.metrics.rejected();
    sendProblem(reply.header('Retry-After', String(RETRY_AFTER_SECONDS)), unavailable(`${refusal}: retry later`));
    return false;
  });
}

export const archiveTracking = fp(archiveTrackingPlugin, { name: 'archiveTracking' });
