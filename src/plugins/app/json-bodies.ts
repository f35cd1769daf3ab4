import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Largest request body: every field of a request fits in far less. */
export const BODY_LIMIT = 64 * 1024;

function httpError(statusCode: number, message: string): Error & { statusCode: number } {
  return Object.assign(new Error(message), { statusCode });
}

/**
 * Bodies are JSON in UTF-8 and nothing else: any other media type is a 415, any other charset too.
 * Parsed with JSON.parse, which makes `__proto__` an ordinary key (never the prototype), so the
 * request schema names it as an unknown field instead of a generic "invalid JSON".
 */
async function jsonBodiesPlugin(app: FastifyInstance): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (request, body, done) => {
    const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(request.headers['content-type'] ?? '')?.[1];
    if (charset !== undefined && charset.toLowerCase() !== 'utf-8') {
      return done(httpError(415, `charset ${charset} is not supported: send UTF-8 JSON`), undefined);
    }
    if ((body as string).trim() === '') return done(httpError(400, 'the body is empty: send a JSON object'), undefined);
    try {
      done(null, JSON.parse(body as string));
    } catch (error) {
      done(httpError(400, `the body is not valid JSON: ${(error as Error).message}`), undefined);
    }
  });
}

export const jsonBodies = fp(jsonBodiesPlugin, { name: 'jsonBodies' });
