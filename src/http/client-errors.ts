import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { PROBLEM_CONTENT_TYPE, type Problem } from './problems.js';

/** Node's parser and timeout errors → the status a client is told (framing errors are 400). */
function statusOf(code: string | undefined): number {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  if (code === 'HPE_HEADER_OVERFLOW') return 431;
  return 400;
}

const DETAILS: Record<number, string> = {
  408: 'the request (headers and body) did not arrive in time (ZIPPER_HEADERS_TIMEOUT_MS, ZIPPER_BODY_TIMEOUT_MS)',
  431: 'the request headers are too large',
  400: 'the request is not well-formed HTTP/1.1',
};

/**
 * Errors Node meets before a request reaches a route (bad framing, oversized headers, timeouts)
 * answered as problem+json like every other error, then the connection is closed.
 */
export function answerClientError(this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status = statusOf(error.code);
  const problem: Problem = { type: 'about:blank', title: STATUS_CODES[status] ?? 'Bad Request', status, detail: DETAILS[status]! };
  this.log.debug({ err: error, status }, 'client error');
  if (socket.writable) {
    const body = JSON.stringify(problem);
    socket.write(
      `HTTP/1.1 ${status} ${problem.title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
