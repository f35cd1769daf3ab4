import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { invalidRequest, sendProblem, type FieldError, type Problem } from '../../http/problems.js';

interface ValidationIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: { keys?: string[]; errors?: ZodIssueLike[][] };
}

/** A zod issue as a union carries its branches' issues (paths relative to the union). */
interface ZodIssueLike {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
  errors?: ZodIssueLike[][];
}

/** A field path as a client writes it: `columnProfile.columns[3].type`. */
export function fieldName(segments: readonly PropertyKey[]): string {
  let name = '';
  for (const segment of segments) {
    const text = String(segment);
    name += /^[0-9]+$/.test(text) ? `[${text}]` : name === '' ? text : `.${text}`;
  }
  return name || '(request)';
}

/**
 * A union's issues: when the value has the shape of exactly one branch (the others failed on its
 * type alone), that branch's own issues, each naming its path; otherwise the union's message.
 */
function unionErrors(path: readonly PropertyKey[], branches: ZodIssueLike[][], message: string): FieldError[] {
  const typeMismatch = (issues: ZodIssueLike[]) => issues.every((issue) => issue.code === 'invalid_type' && issue.path.length === 0);
  const matching = branches.filter((issues) => !typeMismatch(issues));
  if (matching.length !== 1) return [{ field: fieldName(path), message }];
  return matching[0]!.flatMap((issue) => issueErrors([...path, ...issue.path], issue.code, issue.message, issue.keys, issue.errors));
}

function issueErrors(path: readonly PropertyKey[], code: string, message: string, keys?: string[], branches?: ZodIssueLike[][]): FieldError[] {
  if (code === 'unrecognized_keys' && keys) return keys.map((key) => ({ field: fieldName([...path, key]), message: 'is not a known field' }));
  if (code === 'invalid_union' && branches) return unionErrors(path, branches, message);
  return [{ field: fieldName(path), message }];
}

/** Names every bad field: an unknown key is a field of its own, a union's branch speaks for itself. */
function fieldErrors(issues: ValidationIssue[]): FieldError[] {
  return issues.flatMap((issue) => {
    const path = issue.instancePath.split('/').slice(1).filter((segment) => segment !== '');
    return issueErrors(path, issue.keyword, issue.message ?? issue.keyword, issue.params.keys, issue.params.errors);
  });
}

/** Field errors of zod issues met outside Fastify's validation (a schema parsed by hand), named the same way. */
export function zodFieldErrors(issues: readonly ZodIssueLike[]): FieldError[] {
  return issues.flatMap((issue) => issueErrors(issue.path, issue.code, issue.message, issue.keys, issue.errors));
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
