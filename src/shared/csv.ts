/** Tables as CSV, for a spreadsheet or pandas: the report's tables, the sweep report's, and a chart's drawn series. */
export type Cell = string | number | boolean | null | undefined;
export interface Table {
  header: string[];
  rows: Cell[][];
}

/** A cell as CSV: empty when absent, quoted when it holds a comma, a quote or a line break. */
function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv({ header, rows }: Table): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}
