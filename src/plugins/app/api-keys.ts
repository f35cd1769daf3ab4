import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { sendProblem } from './problem-details.js';

function sameKey(given: Buffer, key: Buffer): boolean {
  return given.length === key.length && timingSafeEqual(given, key);
}

/** With ZIPPER_API_KEYS set, generating routes need `Authorization: Bearer <key>`; others stay open. */
async function apiKeysPlugin(app: FastifyInstance): Promise<void> {
  const keys = app.config.apiKeys.map((key) => Buffer.from(key));
  if (keys.length === 0) return;
  app.addHook('onRequest', async (request, reply) => {
    if (!request.routeOptions.config.generates) return;
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    const given = Buffer.from(match?.[1] ?? '');
    if (match && keys.some((key) => sameKey(given, key))) return;
    reply.header('WWW-Authenticate', 'Bearer realm="zipper"');
    return sendProblem(reply, {
      type: 'urn:zipper:problem:unauthorized',
      title: 'Unauthorized',
      status: 401,
      detail: match ? 'the API key is not valid' : 'send Authorization: Bearer <key> (ZIPPER_API_KEYS is set)',
    });
  });
}

export const apiKeys = fp(apiKeysPlugin, { name: 'apiKeys' });
