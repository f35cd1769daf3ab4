import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { sendProblem, type Problem } from '../../http/problems.js';

/** Keys are compared as SHA-256 digests: equal lengths, so neither a key's length nor its bytes leak through timing. */
function digest(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

/** Whether `given` is one of `keys`, every key compared in constant time (no early exit either). */
function isKnownKey(given: string, keys: Buffer[]): boolean {
  const candidate = digest(given);
  let known = false;
  for (const key of keys) known = timingSafeEqual(candidate, key) || known;
  return known;
}

function unauthorized(reply: FastifyReply, detail: string): FastifyReply {
  reply.header('WWW-Authenticate', 'Bearer realm="zipper"');
  return sendProblem(reply, { type: 'urn:zipper:problem:unauthorized', title: 'Unauthorized', status: 401, detail });
}

function throttled(retryAfterSeconds: number, maxFailures: number): Problem {
  return {
    type: 'urn:zipper:problem:too-many-failed-keys',
    title: 'Too Many Requests',
    status: 429,
    detail: `${maxFailures} failed API keys from this address (ZIPPER_AUTH_MAX_FAILURES): retry after ${retryAfterSeconds} s`,
  };
}

/**
 * With ZIPPER_API_KEYS set, generating routes need `Authorization: Bearer <key>`; others stay open.
 * An address that sent ZIPPER_AUTH_MAX_FAILURES bad keys within the window gets 429 for the rest of
 * it, good key or not: otherwise 429 versus 200 would still tell a guesser when it hit.
 */
async function apiKeysPlugin(app: FastifyInstance): Promise<void> {
  const keys = app.config.apiKeys.map(digest);
  if (keys.length === 0) return;
  const { maxFailures, windowMs } = app.config.authThrottle;
  // @fastify/rate-limit's store, keyed by client address, counting failures only.
  const failures = app.createRateLimit({ max: maxFailures, timeWindow: windowMs });

  app.addHook('onRequest', async (request, reply) => {
    if (!request.routeOptions.config.generates) return;
    const seen = await failures(request, { increment: false });
    if (!seen.isAllowed && seen.max - seen.remaining >= maxFailures) {
      request.log.warn({ client: request.ip, failures: seen.max - seen.remaining }, 'API key throttled');
      reply.header('Retry-After', String(seen.ttlInSeconds));
      return sendProblem(reply, throttled(seen.ttlInSeconds, maxFailures));
    }
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (match && isKnownKey(match[1]!, keys)) return;
    const counted = await failures(request);
    const failed = counted.isAllowed ? 0 : counted.max - counted.remaining;
    request.log.warn({ client: request.ip, failures: failed, keyGiven: match !== null }, 'API key refused');
    return unauthorized(reply, match ? 'the API key is not valid' : 'send Authorization: Bearer <key> (ZIPPER_API_KEYS is set)');
  });
}

export const apiKeys = fp(apiKeysPlugin, { name: 'apiKeys', dependencies: ['rateLimits'] });
