import type { BuiltInProfileName } from '../../request.js';
import type { ColumnProfile, DataSource, ProfileColumn, ProfileSettings } from './types.js';

/**
 * Zipper's four built-in column profiles as data: header names and order, data sources, empty
 * rates, coded values and ranges as Zipper ships them (notes §4.2). Only DOCID, BEGBATES, ENDBATES,
 * CONTROLNUMBER, FILEPATH, FILENAME and FILEEXT are required. Zipper's built-ins carry weights on
 * uniform data sources, which it ignores; they are left out here, to the same effect.
 */

function settings(emptyValuePercentage: number): ProfileSettings {
  return { emptyValuePercentage, multiValueDelimiter: ';', dateFormat: 'yyyy-MM-dd', dateTimeFormat: 'yyyy-MM-ddTHH:mm:ssZ' };
}

const required = (name: string, type: ProfileColumn['type'] = 'text'): ProfileColumn => ({ name, type, required: true });

/** A numbered series NAME01 … NAMEnn, the k-th column (0-based) made by `column`. */
function series(prefix: string, count: number, column: (k: number) => Omit<ProfileColumn, 'name'>): ProfileColumn[] {
  return Array.from({ length: count }, (_, k) => ({ name: `${prefix}${String(k + 1).padStart(2, '0')}`, ...column(k) }));
}

const DEPARTMENTS = ['Legal', 'Finance', 'HR', 'Engineering', 'Sales', 'Marketing', 'Operations', 'Executive'];
const DOC_TYPES = ['Email', 'Document', 'Spreadsheet', 'Presentation', 'Image', 'PDF'];
const LANGUAGES = ['English', 'Spanish', 'French', 'German', 'Chinese', 'Japanese'];

const uniform = (values: string[]): DataSource => ({ distribution: 'uniform', values });

const minimal: ColumnProfile = {
  name: 'minimal',
  description: 'Five columns: identity, path, custodian, creation date, size.',
  version: '1.0',
  fieldNamingConvention: 'UPPERCASE',
  settings: settings(0),
  dataSources: { custodians: { count: 10, distribution: 'pareto', prefix: 'Custodian_' } },
  columns: [
    required('DOCID', 'identifier'),
    required('FILEPATH'),
    { name: 'CUSTODIAN', type: 'coded', dataSource: 'custodians' },
    { name: 'DATECREATED', type: 'date', dateRange: { min: '2020-01-01', max: '2024-12-31' } },
    { name: 'FILESIZE', type: 'number' },
  ],
};

/** Standard's columns up to the custodian, with litigation's family and count columns where it puts them. */
function identityAndFiles(litigation: boolean, dates: { min: string; max: string }): ProfileColumn[] {
  return [
    required('DOCID', 'identifier'),
    required('BEGBATES'),
    required('ENDBATES'),
    required('CONTROLNUMBER'),
    ...(litigation
      ? [
          { name: 'BEGATTACH', type: 'text', emptyPercentage: 70 },
          { name: 'ENDATTACH', type: 'text', emptyPercentage: 70 },
          { name: 'PARENTDOCID', type: 'text', emptyPercentage: 70 },
          { name: 'FAMILYID', type: 'text', emptyPercentage: 50 },
        ] satisfies ProfileColumn[]
      : []),
    required('FILEPATH'),
    { name: 'TEXTPATH', type: 'text', emptyPercentage: 5 },
    { name: 'NATIVEPATH', type: 'text', emptyPercentage: 0 },
    required('FILENAME'),
    required('FILEEXT'),
    { name: 'FILESIZE', type: 'number' },
    ...(litigation
      ? [
          { name: 'PAGECOUNT', type: 'number', range: { min: 1, max: 500 }, distribution: 'exponential' },
          { name: 'WORDCOUNT', type: 'number', range: { min: 0, max: 50_000 }, distribution: 'exponential' },
          { name: 'CHARCOUNT', type: 'number', range: { min: 0, max: 250_000 }, distribution: 'exponential' },
        ] satisfies ProfileColumn[]
      : []),
    { name: 'DATECREATED', type: 'date', dateRange: dates },
    { name: 'DATEMODIFIED', type: 'date', dateRange: dates },
    { name: 'DATESENT', type: 'datetime', dateRange: dates, emptyPercentage: 30 },
    { name: 'DATERECEIVED', type: 'datetime', dateRange: dates, emptyPercentage: 30 },
  ];
}

const standard: ColumnProfile = {
  name: 'standard',
  description: 'Twenty-four columns: identity, Bates, paths, dates, people, email, coding.',
  version: '1.0',
  fieldNamingConvention: 'UPPERCASE',
  settings: settings(10),
  dataSources: {
    custodians: { count: 25, distribution: 'pareto', prefix: 'Custodian_' },
    authors: { count: 50, distribution: 'pareto', prefix: 'Author_' },
    departments: uniform(DEPARTMENTS),
    docTypes: uniform([...DOC_TYPES, 'Other']),
  },
  columns: [
    ...identityAndFiles(false, { min: '2020-01-01', max: '2024-12-31' }),
    { name: 'CUSTODIAN', type: 'coded', dataSource: 'custodians', emptyPercentage: 0 },
    { name: 'AUTHOR', type: 'text', dataSource: 'authors', emptyPercentage: 5 },
    { name: 'EMAILFROM', type: 'email', emptyPercentage: 30 },
    { name: 'EMAILTO', type: 'email', multiValue: true, multiValueCount: { min: 1, max: 5 }, emptyPercentage: 30 },
    { name: 'EMAILCC', type: 'email', multiValue: true, multiValueCount: { min: 0, max: 10 }, emptyPercentage: 50 },
    { name: 'DOCTYPE', type: 'coded', dataSource: 'docTypes' },
    { name: 'DEPARTMENT', type: 'coded', dataSource: 'departments', emptyPercentage: 20 },
    { name: 'RESPONSIVE', type: 'boolean', format: 'YN', truePercentage: 60 },
    { name: 'PRIVILEGED', type: 'boolean', format: 'YN', truePercentage: 10 },
    { name: 'CONFIDENTIAL', type: 'boolean', format: 'YN', truePercentage: 25 },
  ],
};

interface LitigationPools {
  custodians: number;
  authors: number;
  departments: string[];
  docTypes: string[];
  languages: string[];
}

function litigationSources(pools: LitigationPools): Record<string, DataSource> {
  return {
    custodians: { count: pools.custodians, distribution: 'pareto', prefix: 'Custodian_' },
    authors: { count: pools.authors, distribution: 'pareto', prefix: 'Author_' },
    departments: uniform(pools.departments),
    docTypes: uniform(pools.docTypes),
    privilegeTypes: uniform(['Attorney-Client', 'Work Product', 'Not Privileged', 'Needs Review']),
    responsiveness: uniform(['Responsive', 'Not Responsive', 'Needs Review', 'Privileged']),
    confidentiality: uniform(['Public', 'Internal', 'Confidential', 'Highly Confidential']),
    languages: uniform(pools.languages),
  };
}

const LITIGATION_COLUMNS: ProfileColumn[] = [
  ...identityAndFiles(true, { min: '2018-01-01', max: '2024-12-31' }),
  { name: 'DATEPRODUCED', type: 'date', dateRange: { min: '2024-01-01', max: '2024-12-31' }, emptyPercentage: 50 },
  { name: 'CUSTODIAN', type: 'coded', dataSource: 'custodians', emptyPercentage: 0 },
  { name: 'AUTHOR', type: 'text', dataSource: 'authors', emptyPercentage: 5 },
  { name: 'EMAILFROM', type: 'email', emptyPercentage: 30 },
  { name: 'EMAILTO', type: 'email', multiValue: true, multiValueCount: { min: 1, max: 10 }, emptyPercentage: 30 },
  { name: 'EMAILCC', type: 'email', multiValue: true, multiValueCount: { min: 0, max: 15 }, emptyPercentage: 50 },
  { name: 'EMAILBCC', type: 'email', multiValue: true, multiValueCount: { min: 0, max: 3 }, emptyPercentage: 90 },
  { name: 'EMAILSUBJECT', type: 'text', generator: 'emailsubject', emptyPercentage: 30 },
  { name: 'CONVERSATIONID', type: 'text', emptyPercentage: 50 },
  { name: 'MESSAGEID', type: 'text', emptyPercentage: 50 },
  { name: 'DOCTYPE', type: 'coded', dataSource: 'docTypes' },
  { name: 'DEPARTMENT', type: 'coded', dataSource: 'departments', emptyPercentage: 20 },
  { name: 'PRIVILEGE', type: 'coded', dataSource: 'privilegeTypes' },
  { name: 'RESPONSIVE', type: 'coded', dataSource: 'responsiveness' },
  { name: 'CONFIDENTIALITY', type: 'coded', dataSource: 'confidentiality' },
  { name: 'LANGUAGE', type: 'coded', dataSource: 'languages' },
  { name: 'ISRESPONSIVE', type: 'boolean', format: 'YN', truePercentage: 60 },
  { name: 'ISPRIVILEGED', type: 'boolean', format: 'YN', truePercentage: 10 },
  { name: 'ISCONFIDENTIAL', type: 'boolean', format: 'YN', truePercentage: 25 },
  { name: 'HASATTACHMENTS', type: 'boolean', format: 'YN', truePercentage: 30 },
  { name: 'ISNATIVE', type: 'boolean', format: 'YN', truePercentage: 70 },
  { name: 'NEEDSREDACTION', type: 'boolean', format: 'YN', truePercentage: 15 },
  { name: 'MD5HASH', type: 'text', generator: 'md5Hash' },
  { name: 'SHA1HASH', type: 'text', generator: 'sha1Hash' },
  { name: 'SHA256HASH', type: 'text', generator: 'sha256Hash' },
  { name: 'REVIEWNOTES', type: 'longtext', generator: 'reviewNote', emptyPercentage: 80 },
  { name: 'REDACTIONREASON', type: 'text', emptyPercentage: 90 },
];

const litigation: ColumnProfile = {
  name: 'litigation',
  description: 'Forty-eight columns: standard plus families, counts, review coding, hashes and notes.',
  version: '1.0',
  fieldNamingConvention: 'UPPERCASE',
  settings: settings(15),
  dataSources: litigationSources({
    custodians: 50,
    authors: 100,
    departments: [...DEPARTMENTS, 'IT', 'Compliance'],
    docTypes: [...DOC_TYPES, 'Contract', 'Invoice', 'Memo', 'Report'],
    languages: LANGUAGES,
  }),
  columns: LITIGATION_COLUMNS,
};

const full: ColumnProfile = {
  name: 'full',
  description: 'One hundred thirty-eight columns: litigation plus custom fields, issue tags, notes, statuses and tags.',
  version: '1.0',
  fieldNamingConvention: 'UPPERCASE',
  settings: settings(20),
  dataSources: {
    ...litigationSources({
      custodians: 100,
      authors: 200,
      departments: [...DEPARTMENTS, 'IT', 'Compliance', 'Research', 'Support'],
      docTypes: [...DOC_TYPES, 'Contract', 'Invoice', 'Memo', 'Report', 'Letter', 'Fax', 'Note'],
      languages: [...LANGUAGES, 'Korean', 'Portuguese', 'Italian', 'Russian'],
    }),
    tags: uniform(['Key Document', 'Hot Document', 'Duplicate', 'Near-Duplicate', 'Foreign Language', 'Privileged Review', 'Redaction Required']),
    issues: uniform(Array.from({ length: 8 }, (_, k) => `Issue ${k + 1}`)),
  },
  columns: [
    ...LITIGATION_COLUMNS,
    ...series('CUSTOMTEXT', 20, (k) => ({ type: 'text', emptyPercentage: 52 + 2 * k })),
    ...series('CUSTOMDATE', 15, (k) => ({ type: 'date', dateRange: { min: '2015-01-01', max: '2024-12-31' }, emptyPercentage: 43 + 3 * k })),
    ...series('CUSTOMNUMBER', 15, (k) => ({ type: 'number', range: { min: 0, max: 10_000 }, distribution: 'uniform', emptyPercentage: 33 + 3 * k })),
    ...series('CUSTOMBOOL', 10, (k) => ({ type: 'boolean', format: 'YN', truePercentage: 34 + 4 * k })),
    ...series('ISSUETAG', 5, () => ({ type: 'coded', dataSource: 'issues', multiValue: true, multiValueCount: { min: 0, max: 3 }, emptyPercentage: 60 })),
    ...series('NOTES', 10, (k) => ({ type: 'longtext', generator: 'loremParagraphs', generatorParams: { min: 1, max: 3 }, emptyPercentage: 72 + 2 * k })),
    { name: 'PRODUCTIONSTATUS', type: 'coded', dataSource: 'responsiveness', emptyPercentage: 30 },
    { name: 'REVIEWSTATUS', type: 'coded', dataSource: 'responsiveness', emptyPercentage: 20 },
    { name: 'QCSTATUS', type: 'coded', dataSource: 'responsiveness', emptyPercentage: 60 },
    { name: 'ENCODING', type: 'text', generator: 'encoding', emptyPercentage: 10 },
    { name: 'TIMEZONE', type: 'text', generator: 'timezone', emptyPercentage: 20 },
    ...series('TAG', 10, () => ({ type: 'coded', dataSource: 'tags', emptyPercentage: 70 })),
  ],
};

export const BUILT_IN_PROFILE_DATA: Readonly<Record<BuiltInProfileName, ColumnProfile>> = { minimal, standard, litigation, full };
