/**
 * Scenario 5: 10,000,000 entries in one archive: peak RSS and files/s. Stock archiver keeps an
 * object per entry and would need many GB and most of an hour, so it runs on a capped count and
 * its RSS per entry is extrapolated to 10M (labelled as such).
 */
import { formatInteger, formatMegabytes, formatRatio, formatSeconds, NOT_APPLICABLE } from '../lib/format.js';
import type { ArchiveMeasurement } from '../lib/measure-archive.js';
import { pick } from '../lib/settings.js';
import { compareEngines, failureNotes, rawNote } from './comparison.js';
import { atMost, goalCell, GOAL_TEXT, GOALS } from './goals.js';
import type { Scenario } from './scenario.js';

const TARGET_ENTRIES = 10_000_000;

/** Bytes of RSS the measured request added per ZIP entry (after the warm-up's baseline). */
function rssPerEntry(m: ArchiveMeasurement): number | null {
  if (!m.completed || !m.entries) return null;
  return Math.max(0, m.peakRssBytes - m.idleRssBytes) / m.entries;
}

interface PeakAtTarget {
  bytes: number | null;
  extrapolated: boolean;
}

/**
 * Peak RSS at 10M entries: measured when the run had them; for stock archiver (memory linear in
 * entries) baseline + growth per entry × 10M. Ours is not extrapolated: its memory is meant to
 * plateau, so a straight line from a smaller run would say nothing.
 */
function peakAtTarget(m: ArchiveMeasurement, extrapolate: boolean): PeakAtTarget {
  if (!m.completed) return { bytes: null, extrapolated: false };
  if (m.documents >= TARGET_ENTRIES) return { bytes: m.peakRssBytes, extrapolated: false };
  if (!extrapolate) return { bytes: null, extrapolated: false };
  const perEntry = rssPerEntry(m);
  return { bytes: perEntry === null ? null : m.idleRssBytes + perEntry * TARGET_ENTRIES, extrapolated: true };
}

export const entries10M: Scenario = {
  id: 'entries-10m',
  title: '10,000,000 entries (PDFs + DAT load file)',
  async run(context) {
    const { settings } = context;
    const stockCount = pick(settings, 200_000, 50_000);
    const oursCount = settings.skip10M ? stockCount : pick(settings, TARGET_ENTRIES, 1_000_000);
    const comparison = await compareEngines(context, {
      body: { count: oursCount, includeLoadFile: true },
      stockBody: { count: stockCount, includeLoadFile: true },
    });
    const { ours, stock, raw } = comparison;
    const oursRan10M = ours.documents >= TARGET_ENTRIES;
    const oursAtTarget = peakAtTarget(ours, false);
    const stockAtTarget = peakAtTarget(stock, true);
    const met = atMost(oursAtTarget.bytes, GOALS.peakRssBytesAt10M);
    const label = (m: ArchiveMeasurement, at: PeakAtTarget) =>
      !m.completed ? 'failed' : at.bytes === null ? 'not run' : `${formatMegabytes(at.bytes)}${at.extrapolated ? ' (extrapolated)' : ''}`;
    const value = (m: ArchiveMeasurement, pickValue: (m: ArchiveMeasurement) => number | null, format: (v: number | null) => string) =>
      m.completed ? format(pickValue(m)) : 'failed';
    const rows = [
      ['files (documents) requested', formatInteger(ours.documents), `${formatInteger(stock.documents)} (capped)`, NOT_APPLICABLE, '', ''],
      ['ZIP entries streamed', value(ours, (m) => m.entries, formatInteger), value(stock, (m) => m.entries, formatInteger), NOT_APPLICABLE, '', ''],
      [
        'files/s',
        value(ours, (m) => m.documentsPerSecond, formatInteger),
        value(stock, (m) => m.documentsPerSecond, formatInteger),
        formatInteger(raw?.documentsPerSecond),
        formatRatio(ours.documentsPerSecond, stock.documentsPerSecond),
        '',
      ],
      ['wall time (s)', value(ours, (m) => m.seconds, formatSeconds), value(stock, (m) => m.seconds, formatSeconds), NOT_APPLICABLE, '', ''],
      ['server RSS after warm-up (MB)', formatMegabytes(ours.idleRssBytes), formatMegabytes(stock.idleRssBytes), NOT_APPLICABLE, '', ''],
      ['server peak RSS, this run (MB)', formatMegabytes(ours.peakRssBytes), formatMegabytes(stock.peakRssBytes), NOT_APPLICABLE, '', ''],
      ['RSS growth per entry (bytes)', value(ours, rssPerEntry, formatInteger), value(stock, rssPerEntry, formatInteger), NOT_APPLICABLE, '', ''],
      [
        `server peak RSS at ${formatInteger(TARGET_ENTRIES)} entries (MB)`,
        label(ours, oursAtTarget),
        label(stock, stockAtTarget),
        NOT_APPLICABLE,
        formatRatio(oursAtTarget.bytes, stockAtTarget.bytes),
        goalCell(GOAL_TEXT.peakRssBytesAt10M, met),
      ],
    ];
    const notes = [
      `Stock archiver runs ${formatInteger(stockCount)} documents: at 10M it would hold an object per entry (GBs of heap) for most of an hour. ` +
        'Its row "at 10,000,000 entries" is RSS after warm-up + growth per entry × 10M, an extrapolation, not a measurement.',
      rawNote(comparison),
      ...failureNotes(ours, stock),
    ];
    if (!oursRan10M) {
      notes.unshift(
        `This service ran ${formatInteger(oursCount)} documents, not 10M (${settings.skip10M ? 'BENCH_SKIP_10M=1' : '--quick'}): the goal is not judged.`,
      );
    }
    return {
      id: this.id,
      title: this.title,
      setup: `POST /archives {"count": ${formatInteger(oursCount)}, "includeLoadFile": true}; peak RSS is the server's VmHWM.`,
      tables: [
        {
          caption: this.title,
          headers: ['figure', 'this service', 'stock archiver (capped)', `raw limit${raw ? ` (${raw.boundBy})` : ''}`, 'ours / stock', 'goal'],
          rows,
        },
      ],
      notes,
      goals: [
        {
          figure: `peak RSS streaming ${formatInteger(TARGET_ENTRIES)} entries`,
          goal: GOAL_TEXT.peakRssBytesAt10M,
          measured: oursRan10M
            ? `${label(ours, oursAtTarget)} MB; ${value(ours, (m) => m.documentsPerSecond, formatInteger)} files/s`
            : `not run at 10M (${formatInteger(oursCount)}: peak ${formatMegabytes(ours.peakRssBytes)} MB)`,
          met,
        },
      ],
    };
  },
};
