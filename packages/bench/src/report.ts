/** Markdown output of a benchmark run: sections of tables plus the list of goals met or missed. */

/** A table: header cells and rows of cells. */
export interface Table {
  columns: string[];
  rows: string[][];
}

/** One part of the report. */
export interface Section {
  title: string;
  /** What was measured and how, in a sentence or two. */
  description: string;
  tables: Table[];
  /** Observations worth reading next to the numbers. */
  notes?: string[];
}

/** A target from the issue and whether this run met it. */
export interface GoalCheck {
  goal: string;
  measured: string;
  met: boolean;
}

/** Renders one Markdown table; pipes inside cells are escaped. */
export function markdownTable(table: Table): string {
  const cell = (text: string) => text.replaceAll('|', '\\|');
  const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  const align = table.columns.map((_, index) => (index === 0 ? '---' : '---:'));
  return [line(table.columns), `| ${align.join(' | ')} |`, ...table.rows.map(line)].join('\n');
}

/** Renders the whole report. */
export function renderReport(header: string[], goals: GoalCheck[], sections: Section[]): string {
  const parts = [header.join('\n')];
  if (goals.length > 0) {
    parts.push(
      '## Goals',
      markdownTable({
        columns: ['goal', 'measured', 'status'],
        rows: goals.map((goal) => [goal.goal, goal.measured, goal.met ? 'met' : '**missed**']),
      }),
    );
  }
  for (const section of sections) {
    parts.push(`## ${section.title}`, section.description, ...section.tables.map(markdownTable));
    if (section.notes?.length) parts.push(section.notes.map((note) => `- ${note}`).join('\n'));
  }
  return `${parts.join('\n\n')}\n`;
}

/** Formats a number with a fixed count of significant decimals and a unit. */
export function formatNumber(value: number, digits = 1, unit = ''): string {
  const text = value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return unit ? `${text} ${unit}` : text;
}

/** Formats a byte count as B, KB or MB (powers of 1,000, as bundle reports use). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} KB`;
  return `${(bytes / 1_000_000).toFixed(2)} MB`;
}

/** Formats a ratio as `0.42x`. */
export function formatRatio(ratio: number): string {
  return `${ratio.toFixed(ratio < 10 ? 2 : 1)}x`;
}
