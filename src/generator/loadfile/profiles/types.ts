/**
 * A column profile (Zipper's custom-profile schema, keys in their canonical camelCase): which
 * columns a DAT, CSV or Concordance load file has and how each column's values are drawn. The
 * built-in profiles are values of this type; an inline custom profile is validated into it.
 */

export const NAMING_CONVENTIONS = ['UPPERCASE', 'PascalCase', 'lowercase', 'snake_case'] as const;
export type NamingConvention = (typeof NAMING_CONVENTIONS)[number];

export const COLUMN_TYPES = [
  'identifier',
  'text',
  'longtext',
  'date',
  'datetime',
  'number',
  'boolean',
  'coded',
  'email',
  // Zipper's legacy type names, accepted for its profiles.
  'foldercustodian',
  'indexcustodian',
  'legacydatesent',
  'legacydatecreated',
  'legacyauthor',
  'filedatasize',
  'randomfilesize',
  'emailto',
  'emailfrom',
  'emailcc',
  'emailsubject',
  'emailsentdate',
  'emailattachment',
  'syntheticemailto',
  'syntheticemailfrom',
  'syntheticemailcc',
  'syntheticemailsubject',
  'syntheticemailsentdate',
] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

export const DATA_SOURCE_DISTRIBUTIONS = ['uniform', 'pareto', 'weighted'] as const;
export type DataSourceDistribution = (typeof DATA_SOURCE_DISTRIBUTIONS)[number];

export const NUMBER_DISTRIBUTIONS = ['uniform', 'exponential', 'gaussian', 'normal'] as const;
export type NumberDistribution = (typeof NUMBER_DISTRIBUTIONS)[number];

export interface IntegerRange {
  min: number;
  max: number;
}

export interface DataSource {
  /** Generated values `{prefix}1 … {prefix}{count}` when `values` is absent. */
  count?: number | undefined;
  distribution?: DataSourceDistribution | undefined;
  prefix?: string | undefined;
  values?: string[] | undefined;
  weights?: number[] | undefined;
}

export interface ProfileColumn {
  name: string;
  type: ColumnType;
  required?: boolean | undefined;
  emptyPercentage?: number | undefined;
  multiValue?: boolean | undefined;
  multiValueCount?: IntegerRange | undefined;
  dataSource?: string | undefined;
  range?: IntegerRange | undefined;
  /** ISO dates yyyy-MM-dd. */
  dateRange?: { min: string; max: string } | undefined;
  distribution?: NumberDistribution | undefined;
  /** Boolean: YN | truefalse | 10; date: a date format. */
  format?: string | undefined;
  truePercentage?: number | undefined;
  generator?: string | undefined;
  generatorParams?: IntegerRange | undefined;
}

export interface ProfileSettings {
  emptyValuePercentage: number;
  multiValueDelimiter: string;
  dateFormat: string;
  dateTimeFormat: string;
}

export interface ColumnProfile {
  name: string;
  description?: string | undefined;
  version?: string | undefined;
  fieldNamingConvention: NamingConvention;
  settings: ProfileSettings;
  dataSources: Record<string, DataSource>;
  columns: ProfileColumn[];
}

/** At most this many columns in a profile (Zipper's limit). */
export const MAX_PROFILE_COLUMNS = 200;
