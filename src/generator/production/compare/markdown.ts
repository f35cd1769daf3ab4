import type { Comparison } from './compare.js';

/**
 * Zipper's `.summary.md` of a comparison: mode, the time it was made (UTC), the summary table, Bates
 * ranges (per prior set, gaps, overlaps when there are any) and the volume table.
 */
export function reportMarkdown(comparison: Comparison, now: Date): string {
  const { summary, batesAnalysis, volumeAnalysis } = comparison;
  const stamp = now.toISOString().slice(0, 19).replace('T', ' ');
  const lines = [
    '# Production Set Comparison Report',
    '',
    `**Mode:** ${comparison.comparisonMode.toUpperCase()}`,
    `**Date Generated:** ${stamp} UTC`,
    '',
    '## Summary',
    '',
    '| Metric | Value |',
    '|--------|-------|',
    `| Total Prior Records | ${summary.totalPriorRecords} |`,
    `| Total New Records | ${summary.totalNewRecords} |`,
    `| Added Records | ${summary.addedCount} |`,
    `| Removed Records | ${summary.removedCount} |`,
    `| Unchanged Records | ${summary.unchangedCount} |`,
    `| Changed Records (Metadata/Hash) | ${summary.changedCount} |`,
    `| Replaced Records (Different Bates) | ${summary.replacedCount} |`,
    `| Duplicates/Overlaps | ${summary.duplicateCount} |`,
    '',
    '## Bates Number Analysis',
    '',
    `* **Prior Bates Range:** ${batesAnalysis.priorRange}`,
    `* **New Bates Range:** ${batesAnalysis.newRange}`,
    '',
  ];
  const sets = Object.entries(batesAnalysis.priorRangesByProductionSet).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (sets.length > 0) lines.push('### Prior Bates Ranges by Production Set', '', ...sets.map(([id, range]) => `* **${id}:** ${range}`), '');
  if (batesAnalysis.gaps.length > 0) lines.push('### Skipped Bates Ranges (Gaps)', '', ...batesAnalysis.gaps.map((gap) => `- \`${gap.start}\` to \`${gap.end}\``), '');
  if (batesAnalysis.overlaps.length > 0) lines.push('### Overlapping Bates Ranges', '', ...batesAnalysis.overlaps.map((run) => `- \`${run.start}\` to \`${run.end}\``), '');
  lines.push(
    '## Volume Analysis',
    '',
    '| Production Set | Volume | Prior Bates Range | New Bates Range | Status |',
    '|----------------|--------|-------------------|-----------------|--------|',
    ...volumeAnalysis.map((volume) => `| ${volume.productionId} | ${volume.volumeName} | ${volume.priorBatesRange} | ${volume.newBatesRange} | ${volume.status} |`),
    '',
  );
  return lines.join('\n') + '\n';
}
