import type { FastifyReply } from 'fastify';

/** A signal that fires when the client leaves before the response is complete. */
export function abortWhenClientLeaves(reply: FastifyReply): AbortSignal {
  const abort = new AbortController();
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) abort.abort();
  });
  return abort.signal;
}
