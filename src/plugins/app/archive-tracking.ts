import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ArchiveTracker } from '../generator/archive-tracker.js';
import { PROBLEM_CONTENT_TYPE, sendProblem, type Problem } from './problem-details.js';

/** Seconds a refused client is told to wait. */
const RETRY_AFTER_SECONDS = 5;

declare module 'fastify' {
  interface FastifyInstance {
    archiveTracker: ArchiveTracker;
    /** Readiness turns false and new archives are refused; in-flight ones go on. */
    beginDrain(): void;
    isDraining(): boolean;
    /** Sends 503 and returns false when no new archive may start now (draining, or at the limit). */
    admitArchive(reply: FastifyReply): boolean;
  }
  interface FastifyContextConfig {
    /** The route generates archives or load files: limits, load shedding and API keys apply. */
    generates?: boolean;
  }
}

function unavailable(detail: string): Problem {
  return { type: 'urn:zipper:problem:unavailable', title: 'Service Unavailable', status: 503, detail };
}

/**
 * The archive tracker, the concurrency limit, load shedding on event-loop delay, and draining for
 * shutdown: everything that decides whether a new archive may start.
 */
async function archiveTrackingPlugin(app: FastifyInstance): Promise<void> {
  const { maxConcurrent, maxEventLoopDelayMs, progressRetentionMs } = app.config;
  const tracker = new ArchiveTracker(progressRetentionMs);
  let draining = false;
  app.decorate('archiveTracker', tracker);
  app.decorate('beginDrain', () => {
    draining = true;
  });
  app.decorate('isDraining', () => draining);
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

  if (maxEventLoopDelayMs > 0) {
    // Only generating routes are shed: health, metrics and docs keep answering. A handler that
    // returns a value has under-pressure send it (its types only admit void).
    const shed = (request: FastifyRequest, reply: FastifyReply, _type: string, value: number | undefined) => {
      if (!request.routeOptions.config.generates) return undefined;
      app.metrics.rejected();
      reply.code(503).type(PROBLEM_CONTENT_TYPE).header('Retry-After', String(RETRY_AFTER_SECONDS));
      return unavailable(`overloaded: event-loop delay ${Math.round(value ?? 0)} ms`);
    };
    await app.register(underPressure, {
      maxEventLoopDelay: maxEventLoopDelayMs,
      pressureHandler: shed as unknown as (request: FastifyRequest, reply: FastifyReply, type: string, value: number | undefined) => void,
    });
  }
}

export const archiveTracking = fp(archiveTrackingPlugin, { name: 'archiveTracking' });
