/** Aligned plain-text tables for the terminal (the report's default format and `demo`). */

export interface TextColumn {
  header: string;
  /** Numbers and durations align right so their units line up. */
  align: 'left' | 'right';
  /** Longer cells are cut with `…` (default: no limit). */
  maxWidth?: number;
}

function fit(cell: string, max: number | undefined): string {
  return max !== undefined && cell.length > max ? `${cell.slice(0, max - 1)}…` : cell;
}

/** The header, a rule, then one line per row; columns are two spaces apart, no trailing blanks. */
export function renderTextTable(
  columns: readonly TextColumn[],
  rows: readonly (readonly string[])[],
): string[] {
  const cells = rows.map((r) => columns.map((c, i) => fit(r[i] ?? '', c.maxWidth)));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i]?.length ?? 0)));
  const line = (r: readonly string[]) =>
    columns
      .map((c, i) => {
        const w = widths[i] ?? 0;
        const cell = r[i] ?? '';
        return c.align === 'right' ? cell.padStart(w) : cell.padEnd(w);
      })
      .join('  ')
      .trimEnd();
  return [
    line(columns.map((c) => c.header)),
    widths.map((w) => '─'.repeat(w)).join('  '),
    ...cells.map(line),
  ];
}
