import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

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
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
}

export function invalidRequest(errors: FieldError[]): Problem {
  return {
    type: 'urn:zipper:problem:invalid-request',
    title: 'Invalid request',
    status: 400,
    detail: errors.map((error) => `${error.field}: ${error.message}`).join('; '),
    errors,
  };
}

interface ValidationIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: { keys?: string[] };
}

/** Names every bad field: an unknown key is a field of its own. */
function fieldErrors(issues: ValidationIssue[]): FieldError[] {
  return issues.flatMap((issue) => {
    if (issue.keyword === 'unrecognized_keys' && issue.params.keys) {
      return issue.params.keys.map((key) => ({ field: key, message: 'is not a known field' }));
    }
    const field = issue.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(request)';
    return [{ field, message: issue.message ?? issue.keyword }];
  });
}

function problemFor(error: FastifyError): Problem {
  if (hasZodFastifySchemaValidationErrors(error)) {
    return invalidRequest(fieldErrors(error.validation as unknown as ValidationIssue[]));
  }
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
  if (status >= 500) {
    return { type: 'about:blank', title: 'Internal Server Error', status, detail: 'the server failed to handle the request' };
  }
  // Fastify's own 4xx (malformed JSON, unsupported media type, body too large) say what went wrong.
  return { type: 'about:blank', title: error.code ?? 'Bad Request', status, detail: error.message };
}

/** Every error and unknown route answers as application/problem+json. */
async function problemDetailsPlugin(app: FastifyInstance): Promise<void> {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = problemFor(error);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, {
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: `no route ${request.method} ${request.url.split('?')[0]}`,
    }),
  );
}

// Not encapsulated: it serves every route of the app.
export const problemDetails = fp(problemDetailsPlugin, { name: 'problemDetails' });
