import { z } from 'zod';
import { BUILT_IN_PROFILES, type BuiltInProfileName } from '../generator/request.js';
import {
  COLUMN_TYPES,
  DATA_SOURCE_DISTRIBUTIONS,
  MAX_PROFILE_COLUMNS,
  NAMING_CONVENTIONS,
  NUMBER_DISTRIBUTIONS,
  type ColumnProfile,
} from '../generator/loadfile/profiles/types.js';
import type { FieldSource } from './archive-request.js';

const percentage = z.number().int().min(0).max(100);
const range = z.strictObject({ min: z.number().int(), max: z.number().int() });

const dataSourceSchema = z.strictObject({
  count: z.number().int().min(1).max(100_000).optional(),
  distribution: z.enum(DATA_SOURCE_DISTRIBUTIONS).optional(),
  prefix: z.string().max(100).optional(),
  values: z.array(z.string().max(1000)).max(10_000).optional(),
  weights: z.array(z.number().min(0)).max(10_000).optional(),
});

const columnSchema = z.strictObject({
  name: z.string().max(100),
  type: z.enum(COLUMN_TYPES),
  required: z.boolean().optional(),
  emptyPercentage: percentage.optional(),
  multiValue: z.boolean().optional(),
  multiValueCount: range.optional(),
  dataSource: z.string().optional(),
  range: range.optional(),
  dateRange: z.strictObject({ min: z.string(), max: z.string() }).optional(),
  distribution: z.enum(NUMBER_DISTRIBUTIONS).optional(),
  format: z.string().max(40).optional(),
  truePercentage: percentage.optional(),
  generator: z.string().max(100).optional(),
  generatorParams: range.optional(),
});

/** Zipper's custom-profile schema (notes: §4.4). */
export const customProfileSchema = z.strictObject({
  name: z.string().max(100),
  description: z.string().max(1000).optional(),
  version: z.string().max(40).optional(),
  fieldNamingConvention: z.enum(NAMING_CONVENTIONS).default('UPPERCASE'),
  settings: z
    .strictObject({
      emptyValuePercentage: percentage.default(15),
      multiValueDelimiter: z.string().max(10).default(';'),
      dateFormat: z.string().max(40).default('yyyy-MM-dd'),
      dateTimeFormat: z.string().max(40).default('yyyy-MM-ddTHH:mm:ssZ'),
    })
    .default({ emptyValuePercentage: 15, multiValueDelimiter: ';', dateFormat: 'yyyy-MM-dd', dateTimeFormat: 'yyyy-MM-ddTHH:mm:ssZ' }),
  dataSources: z.record(z.string(), dataSourceSchema).default({}),
  columns: z.array(columnSchema).min(1).max(MAX_PROFILE_COLUMNS),
});

const builtInName = z
  .string()
  .transform((name) => name.toLowerCase())
  .pipe(z.enum(BUILT_IN_PROFILES));

/**
 * `columnProfile`: a built-in name (any case) or an inline profile; in a query string the
 * profile is JSON text, a name is plain text.
 */
export function columnProfileField(source: FieldSource): z.ZodType<BuiltInProfileName | ColumnProfile, unknown> {
  const inline = customProfileSchema as z.ZodType<ColumnProfile, unknown>;
  if (source === 'json') return z.union([builtInName, inline]);
  return z.string().transform((text, ctx): BuiltInProfileName | ColumnProfile => {
    const named = builtInName.safeParse(text);
    if (named.success) return named.data;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: `expected one of ${BUILT_IN_PROFILES.join(', ')} or a profile as JSON` });
      return z.NEVER;
    }
    const parsed = inline.safeParse(value);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, code: 'custom', path: issue.path, message: issue.message } as never);
    return z.NEVER;
  });
}
