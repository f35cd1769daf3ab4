import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * @fastify/rate-limit with no route limited by itself (`global: false`): our plugins make limiters
 * from it with `app.createRateLimit` (api-keys counts failed keys per client address).
 */
async function rateLimitPlugin(app: FastifyInstance): Promise<void> {
  await app.register(rateLimit, { global: false });
}

export const rateLimits = fp(rateLimitPlugin, { name: 'rateLimits' });
