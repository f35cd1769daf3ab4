import { Rng } from './random.js';
import type { Person } from './types.js';

/** Compact pools: plausible, deterministic metadata without a large faker dependency on the hot path. */
const FIRST_NAMES = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth',
  'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen',
  'Daniel', 'Nancy', 'Matthew', 'Lisa', 'Anthony', 'Betty', 'Mark', 'Sandra', 'Steven', 'Ashley',
  'Andrew', 'Emily', 'Kenneth', 'Donna', 'Joshua', 'Michelle', 'Kevin', 'Carol', 'Brian', 'Amanda',
  'René', 'Zoë', 'José', 'Chloé', 'Björn', 'Søren', 'Inés', 'André',
] as const;

const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores',
  'Müller', 'Côté', 'Núñez', 'Øster',
] as const;

const DOMAINS = ['example.com', 'example.org', 'example.net', 'acme.example', 'globex.example'] as const;

const SUBJECT_TOPICS = [
  'Q3 budget review', 'contract amendment', 'board meeting minutes', 'vendor invoice', 'project timeline',
  'compliance training', 'merger due diligence', 'audit findings', 'pricing proposal', 'litigation hold notice',
  'quarterly forecast', 'supply agreement', 'travel expenses', 'product recall', 'hiring plan',
  'security incident', 'licensing terms', 'customer complaint', 'shipment delay', 'settlement draft',
] as const;

const SUBJECT_PREFIXES = ['', '', '', 'Re: ', 'RE: ', 'Fwd: ', 'FW: '] as const;
const SUBJECT_SUFFIXES = ['', '', ' (draft)', ' – final', ' – follow-up', ' [confidential]'] as const;

/** Sent dates fall in 2015-01-01 … 2024-12-31 (UTC), at second resolution. */
const DATE_START = Date.UTC(2015, 0, 1) / 1000;
const DATE_SPAN_SECONDS = (Date.UTC(2025, 0, 1) - Date.UTC(2015, 0, 1)) / 1000;

function asciiLocal(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}

// Mailbox local parts, computed once rather than per document.
const FIRST_LOCAL = FIRST_NAMES.map(asciiLocal);
const LAST_LOCAL = LAST_NAMES.map(asciiLocal);

// Every name, address and subject a document can get, built once: documents then share these
// strings, so renderers can cache work per value (see pdf.ts) and no string is built per document.
const FULL_NAMES = FIRST_NAMES.flatMap((first) => LAST_NAMES.map((last) => `${first} ${last}`));
const ADDRESSES = FIRST_LOCAL.flatMap((first) => LAST_LOCAL.flatMap((last) => DOMAINS.map((domain) => `${first}.${last}@${domain}`)));
const SUBJECTS = SUBJECT_PREFIXES.flatMap((prefix) =>
  SUBJECT_TOPICS.flatMap((topic) => SUBJECT_SUFFIXES.map((suffix) => `${prefix}${topic}${suffix}`)),
);

export function person(rng: Rng): Person {
  const name = rng.below(FIRST_NAMES.length) * LAST_NAMES.length + rng.below(LAST_NAMES.length);
  return { name: FULL_NAMES[name]!, address: ADDRESSES[name * DOMAINS.length + rng.below(DOMAINS.length)]! };
}

export function subject(rng: Rng): string {
  const prefix = rng.below(SUBJECT_PREFIXES.length);
  const topic = rng.below(SUBJECT_TOPICS.length);
  return SUBJECTS[(prefix * SUBJECT_TOPICS.length + topic) * SUBJECT_SUFFIXES.length + rng.below(SUBJECT_SUFFIXES.length)]!;
}

export function sentDate(rng: Rng): Date {
  return new Date((DATE_START + rng.below(DATE_SPAN_SECONDS)) * 1000);
}
