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
