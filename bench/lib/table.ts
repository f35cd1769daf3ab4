/** Markdown tables: the one output format of the bench (stdout and docs/performance.md alike). */

export interface Table {
  /** Printed as a bold line above the table. */
  caption?: string;
  headers: string[];
  rows: string[][];
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** First column left-aligned (labels), the rest right-aligned (figures). */
export function renderTable(table: Table): string {
  const lines: string[] = [];
  if (table.caption) lines.push(`**${table.caption}**`, '');
  lines.push(`| ${table.headers.map(cell).join(' | ')} |`);
  lines.push(`| ${table.headers.map((_, k) => (k === 0 ? ':---' : '---:')).join(' | ')} |`);
  for (const row of table.rows) {
    const padded = table.headers.map((_, k) => cell(row[k] ?? ''));
    lines.push(`| ${padded.join(' | ')} |`);
  }
  return lines.join('\n');
}
