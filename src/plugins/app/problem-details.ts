import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { invalidRequest, sendProblem, type FieldError, type Problem } from '../../http/problems.js';

interface ValidationIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: { keys?: string[] };
}

/** Names every bad field: an unknown key is a field of its own. */
function fieldErrors(issues: ValidationIssue[]): FieldError[] {
  return issues.flatMap((issue) => {
    const path = issue.instancePath.replace(/^\//, '').replace(/\//g, '.');
    if (issue.keyword === 'unrecognized_keys' && issue.params.keys) {
      // Inside an object field the key is named with its path (delimiters.tab).
      return issue.params.keys.map((key) => ({ field: path ? `${path}.${key}` : key, message: 'is not a known field' }));
    }
    return [{ field: path || '(request)', message: issue.message ?? issue.keyword }];
  });
}

/** Fastify's own 4xx, said in the service's words. */
const DETAILS: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'send the fields as a JSON body with Content-Type: application/json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'the body is larger than 64 KiB',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'the body is empty: send a JSON object',
};

function problemFor(error: FastifyError): Problem {
  if (hasZodFastifySchemaValidationErrors(error)) {
    return invalidRequest(fieldErrors(error.validation as unknown as ValidationIssue[]));
  }
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
  if (status >= 500) {
    return { type: 'about:blank', title: 'Internal Server Error', status, detail: 'the server failed to handle the request' };
  }
  return { type: 'about:blank', title: STATUS_CODES[status] ?? 'Bad Request', status, detail: DETAILS[error.code] ?? error.message };
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
