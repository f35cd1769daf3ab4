import { z } from 'zod';
import type { DelimiterOverrides } from '../generator/request.js';

/**
 * One delimiter as Zipper spells it: `ascii:N` (a code 0–255) or `char:C` (one character); the
 * prefix in any case. `none` only where `allowNone` (the quote).
 */
function delimiter(allowNone: boolean) {
  const expected = allowNone ? 'expected "ascii:N" (0–255), "char:C" or "none"' : 'expected "ascii:N" (0–255) or "char:C"';
  return z.string().transform((spec, ctx): string | null => {
    if (allowNone && spec.toLowerCase() === 'none') return null;
    const ascii = /^ascii:(0|[1-9][0-9]{0,2})$/i.exec(spec);
    if (ascii && Number(ascii[1]) <= 255) return String.fromCharCode(Number(ascii[1]));
    const char = /^char:(.)$/isu.exec(spec);
    if (char) return char[1]!;
    ctx.addIssue({ code: 'custom', message: expected });
    return z.NEVER;
  });
}

export const delimitersSchema = z
  .strictObject({
    column: delimiter(false).optional(),
    quote: delimiter(true).optional(),
    newline: delimiter(false).optional(),
    multiValue: delimiter(false).optional(),
    nestedValue: delimiter(false).optional(),
  })
  .transform((given): DelimiterOverrides => {
    const overrides: DelimiterOverrides = {};
    if (given.column !== undefined) overrides.column = given.column!;
    if (given.quote !== undefined) overrides.quote = given.quote;
    if (given.newline !== undefined) overrides.newline = given.newline!;
    if (given.multiValue !== undefined) overrides.multiValue = given.multiValue!;
    if (given.nestedValue !== undefined) overrides.nestedValue = given.nestedValue!;
    return overrides;
  });

/** Date-format tokens; everything else must be a separator or the literals T and Z. */
const DATE_TOKENS = /yyyy|MM|dd|HH|mm|ss/g;

export const dateFormatSchema = z
  .string()
  .min(1)
  .max(40)
  .refine((format) => /^[-/.:, _TZ]*$/.test(format.replace(DATE_TOKENS, '')), {
    message: 'use the tokens yyyy MM dd HH mm ss with separators (- / . : , space _) and the literals T and Z',
  })
  .refine((format) => format.replace(DATE_TOKENS, '') !== format, { message: 'needs at least one of the tokens yyyy MM dd HH mm ss' });
