import type { ArchivePlan } from '../../plan.js';
import { Stream } from '../../random.js';
import { requestedTypes, type HashAlgorithm } from '../../request.js';
import { COLLECTION_COLUMNS } from '../collection.js';
import type { ColumnKind, LoadFileColumn, RowContext } from '../columns.js';
import { compileDateFormat, formatDate } from '../date-format.js';
import { BUILT_IN_PROFILE_DATA } from './built-in.js';
import type { ColumnProfile, NamingConvention, ProfileColumn } from './types.js';
import { cellGenerator, columnSalt, compilePool, rowHasher, RowCells, type CellGenerator, type GeneratorContext, type Pool } from './values.js';

/** The request's profile as data (a built-in by name, or the inline one). */
export function resolveProfile(profile: NonNullable<ArchivePlan['request']['columnProfile']>): ColumnProfile {
  return typeof profile === 'string' ? BUILT_IN_PROFILE_DATA[profile] : profile;
}

/** A column name as the overrides match it: upper case, without spaces, `_` and `-` (PARENT_DOCID = PARENTDOCID). */
export function columnKey(name: string): string {
  return name.toUpperCase().replace(/[\s_-]+/g, '');
}

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter((word) => word !== '');
}

/** A header name in the profile's naming convention. */
export function conventionName(name: string, convention: NamingConvention): string {
  switch (convention) {
    case 'UPPERCASE':
      return name.toUpperCase();
    case 'lowercase':
      return name.toLowerCase();
    case 'PascalCase':
      return words(name)
        .map((word) => word[0]!.toUpperCase() + word.slice(1).toLowerCase())
        .join('');
    case 'snake_case':
      return words(name)
        .map((word) => word.toLowerCase())
        .join('_');
  }
}

const HASH_COLUMNS: Record<string, HashAlgorithm> = { MD5HASH: 'md5', SHA1HASH: 'sha1', SHA256HASH: 'sha256' };

/** Columns whose values are the archive's, whatever the profile says: value and what it reads. */
interface TrueValue {
  value: (row: RowContext) => string;
  needs: LoadFileColumn['needs'];
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function extension(path: string): string {
  const name = baseName(path);
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1);
}

function trueValue(key: string, column: ProfileColumn, plan: ArchivePlan): TrueValue | null {
  const families = plan.request.withFamilies;
  switch (key) {
    case 'DOCID':
    case 'CONTROLNUMBER':
      return { value: ({ doc }) => doc.controlNumber, needs: 'names' };
    case 'BEGBATES':
      return { value: ({ doc, bates }) => bates?.first ?? doc.controlNumber, needs: 'names' };
    case 'ENDBATES':
      return { value: ({ doc, bates }) => bates?.last ?? doc.controlNumber, needs: 'names' };
    case 'FILEPATH':
    case 'NATIVEPATH':
      return { value: ({ doc }) => doc.path, needs: 'names' };
    case 'FILENAME':
      return { value: ({ doc }) => baseName(doc.path), needs: 'names' };
    case 'FILEEXT':
      return { value: ({ doc }) => extension(doc.path), needs: 'names' };
    case 'TEXTPATH':
      return { value: ({ doc }) => doc.textPath ?? '', needs: 'names' };
    case 'FILESIZE':
      return { value: ({ doc, size }) => String(size(doc)), needs: 'document' };
    case 'PAGECOUNT':
      return { value: ({ doc }) => String(doc.pageCount), needs: 'document' };
    case 'BEGATTACH':
      return { value: families ? ({ doc }) => doc.family?.begin ?? '' : () => '', needs: 'names' };
    case 'ENDATTACH':
      return { value: families ? ({ doc }) => doc.family?.end ?? '' : () => '', needs: 'names' };
    case 'PARENTDOCID':
      return { value: families ? ({ doc }) => doc.parentControlNumber ?? '' : () => '', needs: 'names' };
  }
  if (column.type === 'filedatasize') return { value: ({ doc, size }) => String(size(doc)), needs: 'document' };
  return null;
}

/**
 * Email documents' own values (so the load file agrees with the .eml), or null: an attachment row
 * leaves sent date, author and email columns blank (as Zipper); other documents keep the profile's.
 */
function emailValue(key: string, column: ProfileColumn, separator: string, dateFormat: string, dateTimeFormat: string): ((row: RowContext) => string) | null {
  switch (key) {
    case 'EMAILFROM':
      return ({ doc }) => doc.from.address;
    case 'EMAILTO':
      return ({ doc }) => {
        let text = '';
        for (let k = 0; k < doc.to.length; k++) text += (k === 0 ? '' : separator) + doc.to[k]!.address;
        return text;
      };
    case 'EMAILCC':
    case 'EMAILBCC':
      return () => '';
    case 'EMAILSUBJECT':
      return ({ doc }) => doc.subject;
    case 'DATESENT': {
      const format = compileDateFormat(column.format ?? (column.type === 'date' ? dateFormat : dateTimeFormat));
      return ({ doc }) => formatDate(format, doc.dateSent);
    }
  }
  return null;
}

function blankOnAttachment(key: string): boolean {
  return key === 'DATESENT' || key === 'AUTHOR' || key.startsWith('EMAIL');
}

const KINDS: Partial<Record<ProfileColumn['type'], ColumnKind>> = {
  number: 'integer',
  filedatasize: 'integer',
  randomfilesize: 'integer',
  date: 'date',
  datetime: 'date',
  legacydatesent: 'date',
  legacydatecreated: 'date',
  emailsentdate: 'date',
  syntheticemailsentdate: 'date',
};

/**
 * The load-file columns of the request's profile, compiled once per load file: header names in
 * the profile's convention, each column's generator, empty rate and salt decided here, so a row
 * costs only its cells' draws. Collection metadata columns are appended when asked and absent.
 */
export function profileColumns(plan: ArchivePlan): LoadFileColumn[] {
  const { request } = plan;
  const profile = resolveProfile(request.columnProfile!);
  const { settings } = profile;
  const pools = new Map<string, Pool>();
  for (const [name, source] of Object.entries(profile.dataSources)) {
    pools.set(name, compilePool(source, name === 'custodians' ? request.custodianCount : undefined));
  }
  const context: GeneratorContext = {
    pools,
    multiValue: request.delimiters?.multiValue ?? settings.multiValueDelimiter,
    dateFormat: request.dateFormat ?? settings.dateFormat,
    dateTimeFormat: settings.dateTimeFormat,
    neverEmpty: request.emptyPercentage === 0,
  };
  const cells = new RowCells(rowHasher(request.seed, Stream.cells));
  const types = requestedTypes(request);
  const emails = types.includes('eml');

  // A source-driven set's metadata columns fill the profile columns of the same name (as headerKey matches them).
  const sourceColumns = new Map<string, number>();
  request.sources?.columns.forEach((name, k) => {
    if (!sourceColumns.has(columnKey(name))) sourceColumns.set(columnKey(name), k);
  });

  const compiled: LoadFileColumn[] = [];
  const add = (column: ProfileColumn, generate: () => CellGenerator) => {
    const name = conventionName(column.name, profile.fieldNamingConvention);
    const key = columnKey(column.name);
    const hashAlgorithm = HASH_COLUMNS[key];
    const kind = KINDS[column.type] ?? 'text';
    const base = { name, field: name, kind, ...(hashAlgorithm ? { hashAlgorithm } : {}) };
    const fixed = trueValue(key, column, plan);
    if (fixed) {
      compiled.push({ ...base, needs: fixed.needs, value: fixed.value });
      return;
    }
    const sourceColumn = sourceColumns.get(key);
    if (sourceColumn !== undefined) {
      compiled.push({ ...base, needs: 'names', value: ({ doc }) => doc.source?.values[sourceColumn] ?? '' });
      return;
    }
    const generator = generate();
    const salt = columnSalt(key);
    const empty = column.required ? 0 : (request.emptyPercentage ?? column.emptyPercentage ?? settings.emptyValuePercentage);
    const generated =
      empty === 0
        ? (row: RowContext) => generator(cells.cell(row, salt), row)
        : (row: RowContext) => {
            const rng = cells.cell(row, salt);
            return rng.below(100) < empty ? '' : generator(rng, row);
          };
    const email = emails ? emailValue(key, column, context.multiValue, context.dateFormat, context.dateTimeFormat) : null;
    const blank = request.withFamilies && blankOnAttachment(key);
    if (!email && !blank) {
      compiled.push({ ...base, needs: 'names', value: generated });
      return;
    }
    compiled.push({
      ...base,
      needs: 'document',
      value: (row) => {
        if (row.doc.attachmentOf) return blank ? '' : generated(row);
        return email && row.doc.type === 'eml' ? email(row) : generated(row);
      },
    });
  };

  for (const column of profile.columns) add(column, () => cellGenerator(column, context));
  if (request.withCollectionMetadata) {
    const present = new Set(profile.columns.map((column) => columnKey(column.name)));
    for (const collection of COLLECTION_COLUMNS) {
      if (present.has(columnKey(collection.field))) continue;
      const column: ProfileColumn = { name: collection.field, type: collection.kind === 'date' ? 'date' : 'text', required: true };
      add(column, () => collection.generator(context.dateFormat));
    }
  }
  return compiled;
}
