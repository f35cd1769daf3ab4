import type { FastifyReply } from 'fastify';

/** One bad field of a request: its name (dotted path) and what is wrong with it. */
export interface FieldError {
  field: string;
  message: string;
}

/** RFC 9457 problem details. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  /** Every bad field found, when `errors` lists only the first MAX_LISTED_ERRORS. */
  errorCount?: number;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Field errors listed in one answer: a body of thousands of bad fields must not get a larger error back. */
export const MAX_LISTED_ERRORS = 20;

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
}

export function invalidRequest(errors: FieldError[]): Problem {
  const listed = errors.slice(0, MAX_LISTED_ERRORS);
  const more = errors.length - listed.length;
  const detail = listed.map((error) => `${error.field}: ${error.message}`).join('; ');
  return {
    type: 'urn:zipper:problem:invalid-request',
    title: 'Invalid request',
    status: 400,
    detail: more > 0 ? `${detail}; and ${more} more` : detail,
    errors: listed,
    ...(more > 0 ? { errorCount: errors.length } : {}),
  };
}

export function unavailable(detail: string): Problem {
  return { type: 'urn:zipper:problem:unavailable', title: 'Service Unavailable', status: 503, detail };
}
