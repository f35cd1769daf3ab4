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
      .describe('Every bad field of the request'),
  })
  .meta({ id: 'Problem' });

export function problemResponse(description: string) {
  return { description, content: { 'application/problem+json': { schema: problemSchema } } };
}
