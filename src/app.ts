import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import { GeneratorPool } from './generator/parallel/pool.js';
import { ReadAheadBudget } from './generator/read-ahead-budget.js';
import { answerClientError } from './http/client-errors.js';
import { apiKeys } from './plugins/app/api-keys.js';
import { archiveLayouts } from './plugins/app/archive-layouts.js';
import { archiveTracking } from './plugins/app/archive-tracking.js';
import { BODY_LIMIT, jsonBodies } from './plugins/app/json-bodies.js';
import { loadShedding } from './plugins/app/load-shedding.js';
import { metrics } from './plugins/app/metrics.js';
import { problemDetails } from './plugins/app/problem-details.js';
import { openApi } from './plugins/external/openapi.js';
import { rateLimits } from './plugins/external/rate-limit.js';
import { archivePlanRoutes } from './routes/archive-plans.js';
import { archiveRoutes } from './routes/archives.js';
import { healthRoutes } from './routes/health.js';
import { loadFileRoutes } from './routes/loadfiles.js';
import { productionCompareRoutes } from './routes/productions-compare.js';

/** Counters of what the generator did, for tests now and metrics later. */
export interface GeneratorStats {
  documentsGenerated: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    generatorStats: GeneratorStats;
    /** Worker threads shared by every archive of this app. */
    generatorPool: GeneratorPool;
  }
}

export interface AppOptions {
  /** Fastify's logger option; defaults to pino at the configured level. */
  logger?: FastifyServerOptions['logger'];
}

/** How often Node checks headers and body timeouts: often enough that they hold to about a second. */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

/** The app factory: everything but listening and process signals (server.ts). */
export async function buildApp(config: Config, options: AppOptions = {}): Promise<FastifyInstance> {
  const { timeouts } = config;
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    // Headers and body have their own deadlines; the response has none (an archive may stream for
    // hours) but the idle timeout: a socket that moves no byte either way for that long is closed.
    http: { headersTimeout: timeouts.headersMs, connectionsCheckingInterval: Math.min(TIMEOUT_CHECK_INTERVAL_MS, timeouts.headersMs) },
    requestTimeout: timeouts.bodyMs,
    connectionTimeout: timeouts.idleMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    // Closing ends every connection: by then in-flight archives have had their grace period.
    forceCloseConnections: true,
    bodyLimit: BODY_LIMIT,
    clientErrorHandler: answerClientError,
  });
  // Past this, Node closes new connections at once, before the process runs out of descriptors.
  app.server.maxConnections = config.maxConnections;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.decorate('config', config);
  app.decorate('generatorStats', { documentsGenerated: 0 });
  const pool = new GeneratorPool(config.concurrency, {
    readAhead: new ReadAheadBudget(config.readAheadMemory),
    workerResourceLimits: config.workerYoungGenerationMb > 0 ? { maxYoungGenerationSizeMb: config.workerYoungGenerationMb } : undefined,
    releaseMemoryAfterMs: config.releaseMemoryAfterMs,
  });
  app.decorate('generatorPool', pool);
  app.addHook('onClose', () => pool.close());

  // Third-party plugins first, then ours (as fastify/demo keeps plugins/external and plugins/app).
  await app.register(rateLimits);
  await app.register(openApi);

  await app.register(problemDetails);
  await app.register(jsonBodies);
  await app.register(archiveTracking);
  await app.register(archiveLayouts);
  await app.register(metrics);
  await app.register(loadShedding);
  await app.register(apiKeys);

  await app.register(healthRoutes);
  await app.register(archiveRoutes);
  await app.register(archivePlanRoutes);
  await app.register(loadFileRoutes);
  // Encapsulated: the only scope that reads multipart bodies.
  await app.register(productionCompareRoutes);
  return app;
}
