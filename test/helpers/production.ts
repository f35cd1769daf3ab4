import type { Test } from 'tap';
import type { ZipEntry } from './zip.js';
import { parseDat } from './dat.js';
import { ProductionPlan, type ProductionRecord, type ProductionSet } from '../../src/generator/production/plan.js';

/** Every path the set's DAT and OPT name exists; every file of the set is named by one of them. */
export function checkSet(t: Test, entries: ZipEntry[], id: string) {
  const byName = new Map(entries.filter((entry) => entry.name.startsWith(`${id}/`)).map((entry) => [entry.name.slice(id.length + 1), entry]));
  const dat = parseDat(byName.get('DATA/archive.dat')!.data, 'UTF-8');
  const opt = byName.get('DATA/archive.opt')!.data.toString('utf8').split('\r\n').slice(0, -1);
  const referenced = new Set<string>();
  const path = (value: string) => value.replaceAll('\\', '/');
  for (const row of dat.rows) {
    for (const column of ['NATIVE_PATH', 'TEXT_PATH', 'IMAGE_PATH', 'REDACTED_IMAGE_PATH', 'REDACTED_TEXT_PATH']) {
      if (!dat.header.includes(column)) continue;
      const value = row[dat.header.indexOf(column)]!;
      if (value !== '') referenced.add(path(value));
    }
  }
  for (const line of opt) referenced.add(path(line.split(',')[2]!));
  const missing = [...referenced].filter((name) => !byName.has(name));
  t.same(missing, [], `${id}: every DAT/OPT path exists (${referenced.size} paths)`);
  const files = [...byName.keys()].filter((name) => !name.startsWith('DATA/') && !name.startsWith('_'));
  t.same(files.filter((name) => !referenced.has(name)), [], `${id}: every file is referenced`);
  return { dat, opt, byName };
}

/**
 * Test seam: for requests with `seed`, set `set`'s document at `position` gives `alter(records)` on
 * walk number `walk` of it — an archive walks a position's records for its files first, its DAT row
 * second (the default), its OPT lines third; POST /loadfiles walks them once — as a DAT writer that
 * lost or repeated a row would. Works where the rows are made in this thread (no worker pool).
 * Returns the undo.
 */
export function alterDatRecords(seed: number, set: number, position: number, alter: (records: ProductionRecord[]) => ProductionRecord[], walk = 2): () => void {
  const original = ProductionPlan.prototype.records;
  // Counted over every plan: the batches make one of their own from the request.
  let walks = 0;
  ProductionPlan.prototype.records = function (this: ProductionPlan, of: ProductionSet, at: number): ProductionRecord[] {
    const records = original.call(this, of, at);
    if (this.request.seed !== seed || of.sequence !== set || at !== position) return records;
    return ++walks === walk ? alter(records) : records;
  };
  return () => {
    ProductionPlan.prototype.records = original;
  };
}
