/** Aligned plain-text tables for the terminal (the report's default format and `demo`). */

export interface TextColumn {
  header: string;
  /** Numbers and durations align right so their units line up. */
  align: 'left' | 'right';
  /** Longer cells are cut with `…` (default: no limit). */
  maxWidth?: number;
}

/** East Asian wide and fullwidth ranges: two terminal columns each. */
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u;
const COMBINING = /[\u0300-\u036f\u200b-\u200f]/u;

/** Terminal columns a string takes: wide characters count 2, combining marks 0. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += WIDE.test(ch) ? 2 : COMBINING.test(ch) ? 0 : 1;
  return width;
}

function fit(cell: string, max: number | undefined): string {
  if (max === undefined || displayWidth(cell) <= max) return cell;
  let out = '';
  for (const ch of cell) {
    if (displayWidth(out + ch) > max - 1) break;
    out += ch;
  }
  return `${out}…`;
}

function pad(cell: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(cell)));
  return align === 'right' ? fill + cell : cell + fill;
}

/** The header, a rule, then one line per row; columns are two spaces apart, no trailing blanks. */
export function renderTextTable(
  columns: readonly TextColumn[],
  rows: readonly (readonly string[])[],
): string[] {
  const cells = rows.map((r) => columns.map((c, i) => fit(r[i] ?? '', c.maxWidth)));
  const widths = columns.map((c, i) =>
    Math.max(displayWidth(c.header), ...cells.map((r) => displayWidth(r[i] ?? ''))),
  );
  const line = (r: readonly string[]) =>
    columns
      .map((c, i) => pad(r[i] ?? '', widths[i] ?? 0, c.align))
      .join('  ')
      .trimEnd();
  return [
    line(columns.map((c) => c.header)),
    widths.map((w) => '─'.repeat(w)).join('  '),
    ...cells.map(line),
  ];
}
