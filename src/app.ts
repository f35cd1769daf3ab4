import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import { GeneratorPool } from './generator/parallel/pool.js';
import { ReadAheadBudget } from './generator/read-ahead-budget.js';
import { apiKeys } from './plugins/api-keys.js';
import { archiveTracking } from './plugins/archive-tracking.js';
import { metrics } from './plugins/metrics.js';
import { openApi } from './plugins/openapi.js';
import { problemDetails } from './plugins/problem-details.js';
import { archivePlanRoutes } from './routes/archive-plans.js';
import { archiveRoutes } from './routes/archives.js';
import { loadFileRoutes } from './routes/loadfiles.js';
import { healthRoutes } from './routes/health.js';

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

/** The app factory: everything but listening and process signals (server.ts). */
export async function buildApp(config: Config, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    // Archives can take long to stream; the socket must not be cut while it is healthy.
    requestTimeout: 0,
    connectionTimeout: 0,
    // Closing ends every connection: by then in-flight archives have had their grace period.
    forceCloseConnections: true,
    bodyLimit: 64 * 1024,
  });
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

  await app.register(problemDetails);
  await app.register(archiveTracking);
  await app.register(metrics);
  await app.register(apiKeys);
  await app.register(openApi);
  await app.register(healthRoutes);
  await app.register(archiveRoutes);
  await app.register(archivePlanRoutes);
  await app.register(loadFileRoutes);
  return app;
}
