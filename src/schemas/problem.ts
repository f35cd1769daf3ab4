import { z } from 'zod';

/** RFC 9457 problem details, as every 4xx/5xx answers. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z
      .array(z.object({ field: z.string().describe('Request field (dotted path)'), message: z.string() }))
      .optional()
      .describe('The bad fields of the request: every one, or the first 20 when there are more'),
    errorCount: z.number().int().optional().describe('How many bad fields there are, when errors lists only the first 20'),
  })
  .meta({ id: 'Problem' });

export function problemResponse(description: string) {
  return { description, content: { 'application/problem+json': { schema: problemSchema } } };
}

/** What any generating route (archives, plan, load files) may answer besides its own. */
export const generatingRouteProblems = {
  400: problemResponse('A bad field (every bad field is named, the first 20 when there are more); sent before any archive byte.'),
  401: problemResponse('ZIPPER_API_KEYS is set and the request has no valid Authorization: Bearer key.'),
  415: problemResponse('The body is not JSON, or not in UTF-8.'),
  429: problemResponse('Too many failed API keys from this address (ZIPPER_AUTH_MAX_FAILURES); see Retry-After.'),
  503: problemResponse('Too many archives streaming (ZIPPER_MAX_CONCURRENT), overloaded, or shutting down; see Retry-After.'),
};
