import { z } from 'zod';
import { BUILT_IN_PROFILES, type BuiltInProfileName } from '../generator/request.js';
import { epochDay } from '../generator/loadfile/date-format.js';
import {
  COLUMN_TYPES,
  DATA_SOURCE_DISTRIBUTIONS,
  MAX_PROFILE_COLUMNS,
  NAMING_CONVENTIONS,
  NUMBER_DISTRIBUTIONS,
  type ColumnProfile,
} from '../generator/loadfile/profiles/types.js';
import type { FieldSource } from './archive-request.js';
import { dateFormatSchema } from './load-file-dialect.js';
import { isJsonObject } from '../generator/json-object.js';

/**
 * Zipper's custom-profile schema (notes §4.4) and its validation rules, each failure naming its
 * path. Keys match case-insensitively, as in Zipper ("Name", "COLUMNS" …): they are brought to
 * their camelCase spelling before validation. Unlike Zipper, which ignores unknown keys, an
 * unknown key is a 400 naming it (a misspelt key would otherwise be silently without effect).
 */

/**
 * An object whose keys match the shape's case-insensitively. A key given in two spellings: the
 * exact one is used, the other stays as given and is refused as an unknown key.
 */
function caseInsensitive<Shape extends z.ZodRawShape>(shape: Shape) {
  const canonical = new Map(Object.keys(shape).map((key) => [key.toLowerCase(), key]));
  return z.preprocess((value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const given = Object.keys(value);
    const entries = Object.entries(value).map(([key, field]): [string, unknown] => {
      const name = canonical.get(key.toLowerCase());
      return [name === undefined || (name !== key && given.includes(name)) ? key : name, field];
    });
    // fromEntries defines own properties: a "__proto__" key stays a (refused) key.
    return Object.fromEntries(entries);
  }, z.strictObject(shape));
}

/** One of `values`, matched case-insensitively and given back in its canonical spelling. */
function looseEnum<const T extends readonly [string, ...string[]]>(values: T, message?: string) {
  const canonical = new Map(values.map((value) => [value.toLowerCase(), value]));
  return z.preprocess((value) => (typeof value === 'string' ? (canonical.get(value.toLowerCase()) ?? value) : value), z.enum(values, message ? { message } : undefined));
}

const percentage = z.number().min(0).max(100);

function orderedRange(bound: z.ZodNumber) {
  return caseInsensitive({ min: bound, max: bound }).refine((range) => range.min <= range.max, { message: 'min must not exceed max' });
}

const dataSourceSchema = caseInsensitive({
  count: z.number().int().min(0).max(100_000).optional(),
  distribution: looseEnum(DATA_SOURCE_DISTRIBUTIONS).optional(),
  prefix: z.string().max(100).optional(),
  values: z.array(z.string().max(1000)).max(10_000).optional(),
  weights: z.array(z.number().min(0)).max(10_000).optional(),
});

const dateRangeSchema = caseInsensitive({ min: z.string().max(40), max: z.string().max(40) }).superRefine((range, ctx) => {
  const [min, max] = [epochDay(range.min), epochDay(range.max)];
  if (min === null || max === null) ctx.addIssue({ code: 'custom', message: 'expected dates as yyyy-MM-dd, e.g. {"min":"2020-01-01","max":"2024-12-31"}' });
  else if (min > max) ctx.addIssue({ code: 'custom', message: 'min must not be after max' });
});

const columnSchema = caseInsensitive({
  name: z.string().max(100),
  type: looseEnum(COLUMN_TYPES, `expected one of ${COLUMN_TYPES.slice(0, 9).join(', ')} (or one of Zipper's legacy types)`),
  required: z.boolean().optional(),
  emptyPercentage: percentage.optional(),
  multiValue: z.boolean().optional(),
  multiValueCount: orderedRange(z.number().int().min(0).max(100)).optional(),
  dataSource: z.string().max(100).optional(),
  range: orderedRange(z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER)).optional(),
  dateRange: dateRangeSchema.optional(),
  distribution: looseEnum(NUMBER_DISTRIBUTIONS).optional(),
  format: z.string().max(40).optional(),
  truePercentage: percentage.optional(),
  generator: z.string().max(100).optional(),
  generatorParams: orderedRange(z.number().int().min(0).max(20)).optional(),
});

const DEFAULT_SETTINGS = { emptyValuePercentage: 15, multiValueDelimiter: ';', dateFormat: 'yyyy-MM-dd', dateTimeFormat: 'yyyy-MM-ddTHH:mm:ssZ' };

const settingsSchema = caseInsensitive({
  emptyValuePercentage: percentage.default(DEFAULT_SETTINGS.emptyValuePercentage),
  multiValueDelimiter: z.string().min(1).max(10).default(DEFAULT_SETTINGS.multiValueDelimiter),
  dateFormat: dateFormatSchema.default(DEFAULT_SETTINGS.dateFormat),
  dateTimeFormat: dateFormatSchema.default(DEFAULT_SETTINGS.dateTimeFormat),
});

const DATE_TYPES = new Set(['date', 'datetime', 'legacydatesent', 'legacydatecreated', 'emailsentdate', 'syntheticemailsentdate']);

/** Zipper's custom-profile schema (notes §4.4), with its cross-field rules. */
export const customProfileSchema = caseInsensitive({
  name: z.string().max(100).refine((name) => name.trim() !== '', { message: 'must not be blank' }),
  description: z.string().max(1000).optional(),
  version: z.string().max(40).optional(),
  fieldNamingConvention: looseEnum(NAMING_CONVENTIONS).default('UPPERCASE'),
  settings: settingsSchema.default(DEFAULT_SETTINGS),
  dataSources: z.record(z.string().max(100), dataSourceSchema).default({}),
  columns: z
    .array(columnSchema)
    .min(1, { message: 'needs at least one column' })
    .max(MAX_PROFILE_COLUMNS, { message: `at most ${MAX_PROFILE_COLUMNS} columns` }),
}).superRefine(
  (profile, ctx) => {
    // Runs even when fields failed (so one answer names every bad path): read defensively.
    const sources: Record<string, unknown> = isJsonObject(profile.dataSources) ? profile.dataSources : {};
    for (const [name, source] of Object.entries(sources)) {
      if (!isJsonObject(source)) continue;
      const { values, count, weights, distribution } = source as { values?: unknown; count?: unknown; weights?: unknown; distribution?: unknown };
      const size = Array.isArray(values) ? values.length : typeof count === 'number' ? count : 0;
      if (size === 0) ctx.addIssue({ code: 'custom', path: ['dataSources', name], message: 'needs values or a count of at least 1' });
      const weightList = Array.isArray(weights) ? (weights as unknown[]) : [];
      if (weightList.length > size) {
        ctx.addIssue({ code: 'custom', path: ['dataSources', name, 'weights'], message: `${weightList.length} weights for ${size} values: at most one weight per value` });
      }
      if (distribution === 'weighted' && !weightList.some((weight) => typeof weight === 'number' && weight > 0)) {
        ctx.addIssue({ code: 'custom', path: ['dataSources', name, 'weights'], message: 'a weighted data source needs weights, at least one above 0' });
      }
    }
    const columns: unknown[] = Array.isArray(profile.columns) ? profile.columns : [];
    const names = new Map<string, number>();
    let identifiers = 0;
    columns.forEach((given, index) => {
      if (!isJsonObject(given)) return;
      const column = given as { name?: unknown; type?: unknown; dataSource?: unknown; format?: unknown };
      if (typeof column.name === 'string') {
        const key = column.name.trim().toLowerCase();
        if (key === '') ctx.addIssue({ code: 'custom', path: ['columns', index, 'name'], message: 'must not be blank' });
        else if (names.has(key)) ctx.addIssue({ code: 'custom', path: ['columns', index, 'name'], message: `duplicates columns[${names.get(key)}] (names are case-insensitive)` });
        else names.set(key, index);
      }
      if (column.type === 'identifier') identifiers++;
      if (typeof column.dataSource === 'string' && !Object.hasOwn(sources, column.dataSource)) {
        ctx.addIssue({ code: 'custom', path: ['columns', index, 'dataSource'], message: `"${column.dataSource}" is not one of dataSources` });
      }
      if (column.type === 'coded' && column.dataSource === undefined) {
        ctx.addIssue({ code: 'custom', path: ['columns', index, 'dataSource'], message: 'a coded column draws from a data source: name one' });
      }
      if (typeof column.format === 'string' && typeof column.type === 'string' && DATE_TYPES.has(column.type)) {
        const format = dateFormatSchema.safeParse(column.format);
        if (!format.success) ctx.addIssue({ code: 'custom', path: ['columns', index, 'format'], message: format.error.issues[0]!.message });
      }
    });
    if (columns.length > 0 && identifiers === 0) {
      ctx.addIssue({ code: 'custom', path: ['columns'], message: "needs at least one column of type 'identifier'" });
    }
  },
  { when: () => true },
);

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
    for (const issue of parsed.error.issues) {
      // Unknown keys one by one, each a path of its own (the problem lists name them so).
      if (issue.code === 'unrecognized_keys') for (const key of issue.keys) ctx.addIssue({ code: 'custom', path: [...issue.path, key], message: 'is not a known field' });
      else ctx.addIssue({ ...issue, code: 'custom', path: issue.path, message: issue.message } as never);
    }
    return z.NEVER;
  });
}
