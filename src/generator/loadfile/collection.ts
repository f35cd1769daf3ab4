import { compileDateFormat, epochDay, formatDay } from './date-format.js';
import type { CellGenerator } from './profiles/values.js';

/**
 * Collection metadata (`withCollectionMetadata`): where and when a document was collected and how
 * processing treated it. Values as Zipper's no-profile path draws them; "now" is fixed at
 * 2025-01-01 (UTC), as Zipper's seeded runs fix it, so archives stay a function of the request.
 */

const SOURCES = ['Email Server', 'Network Share', 'Cloud Storage', 'Mobile Device', 'Laptop', 'Desktop', 'Server', 'External Media'];
const STATUSES = ['Processed', 'Pending Review', 'Approved', 'Privileged', 'Redacted', 'Produced'];
const NOW_DAY = epochDay('2025-01-01')!;

export interface CollectionColumn {
  /** Column name without a profile (DAT, EDRM-XML). */
  name: string;
  /** Concordance and CSV field name, and the column a profile gets. */
  field: string;
  kind: 'text' | 'date';
  /** The value, given the date format of the load file's dates. */
  generator(dateFormat: string): CellGenerator;
}

export const COLLECTION_COLUMNS: readonly CollectionColumn[] = [
  { name: 'Data Source', field: 'DATA_SOURCE', kind: 'text', generator: () => (rng) => SOURCES[rng.below(SOURCES.length)]! },
  {
    name: 'Collection Date',
    field: 'COLLECTION_DATE',
    kind: 'date',
    generator: (dateFormat) => {
      const format = compileDateFormat(dateFormat);
      return (rng) => formatDay(format, NOW_DAY - rng.between(1, 29));
    },
  },
  { name: 'De-Nisted', field: 'DENISTED', kind: 'text', generator: () => (rng) => (rng.below(100) < 85 ? 'YES' : 'NO') },
  { name: 'Dedupe Group ID', field: 'DEDUPE_GROUP_ID', kind: 'text', generator: () => (rng) => `GRP${String(rng.between(1, 999)).padStart(6, '0')}` },
  { name: 'Processing Status', field: 'PROCESSING_STATUS', kind: 'text', generator: () => (rng) => STATUSES[rng.below(STATUSES.length)]! },
];

/** Zipper's date format for collection dates without a profile. */
export const COLLECTION_DATE_FORMAT = 'yyyy-MM-dd';
