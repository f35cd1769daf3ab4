import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { sendProblem, unavailable } from '../../http/problems.js';
import { RETRY_AFTER_SECONDS } from './archive-tracking.js';

/** How often the event loop's lag is sampled. */
const SAMPLE_INTERVAL_MS = 250;

/**
 * How late a timer fires: the event loop's delay, measured without anything that can throw. (We
 * used @fastify/under-pressure, whose sampler also calls process.memoryUsage(): that throws EMFILE
 * when descriptors run out, in a timer, and took the process down; and a loop blocked for a whole
 * interval read as an "Infinity ms" delay.)
 */
export class EventLoopLag {
  private expected = 0;
  private timer: NodeJS.Timeout | undefined;
  /** The latest sample, in ms: always finite. */
  current = 0;

  start(intervalMs = SAMPLE_INTERVAL_MS): void {
    const tick = () => {
      const now = performance.now();
      this.current = Math.max(0, now - this.expected);
      this.expected = now + intervalMs;
      this.timer = setTimeout(tick, intervalMs).unref();
    };
    this.expected = performance.now() + intervalMs;
    this.timer = setTimeout(tick, intervalMs).unref();
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}

/** Generating routes get 503 + Retry-After while the event loop lags past ZIPPER_MAX_EVENT_LOOP_DELAY_MS; others always answer. */
async function loadSheddingPlugin(app: FastifyInstance): Promise<void> {
  const maxDelayMs = app.config.maxEventLoopDelayMs;
  if (maxDelayMs <= 0) return;
  const lag = new EventLoopLag();
  lag.start();
  app.addHook('onClose', async () => lag.stop());
  app.addHook('onRequest', async (request, reply) => {
    if (!request.routeOptions.config.generates || lag.current <= maxDelayMs) return;
    app.metrics.rejected();
    reply.header('Retry-After', String(RETRY_AFTER_SECONDS));
    return sendProblem(reply, unavailable(`overloaded: event-loop delay ${Math.round(lag.current)} ms: retry later`));
  });
}

export const loadShedding = fp(loadSheddingPlugin, { name: 'loadShedding', dependencies: ['metrics'] });
