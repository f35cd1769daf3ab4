/** Every scenario, in the order a full run takes them (issue 3's list). */
import { eml20k, pdf100k, pdf100kMetadataText } from './archive-throughput.js';
import { chaosArchive } from './chaos.js';
import { concurrentClients } from './concurrent-clients.js';
import { concurrentMemory } from './concurrent-memory.js';
import { dat10M } from './dat-10m.js';
import { entries10M } from './entries-10m.js';
import { hashesPadded1GiB, hashesPdf100k } from './hashes.js';
import { padded1GiB } from './padded-1gib.js';
import { parallelWorkers } from './parallel.js';
import { productionSets } from './production.js';
import { profileLoadFiles } from './profile-loadfiles.js';
import type { Scenario } from './scenario.js';
import { slowReader } from './slow-reader.js';
import { timeToFirstByte } from './ttfb.js';
import { transfer } from './transfer.js';

export const SCENARIOS: readonly Scenario[] = [
  pdf100k,
  pdf100kMetadataText,
  eml20k,
  padded1GiB,
  entries10M,
  timeToFirstByte,
  dat10M,
  profileLoadFiles,
  concurrentClients,
  concurrentMemory,
  slowReader,
  parallelWorkers,
  hashesPdf100k,
  hashesPadded1GiB,
  chaosArchive,
  productionSets,
  transfer,
];
