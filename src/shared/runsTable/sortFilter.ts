/**
 * What a runs table does with its rows: sort by a column (numbers as numbers, text as text with its
 * digits read as numbers, absent values last either way, ties kept in order), filter by text, and keep
 * a pinned baseline on top.
 */
import { Column, cellText } from './columns';

export type SortDirection = 'ascending' | 'descending';
export interface SortOrder {
  column: string;
  direction: SortDirection;
}

function compareValues(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'en', { numeric: true, sensitivity: 'base' });
}

/** A sorted copy; Array.prototype.sort is stable, so equal cells keep the rows' order. */
export function sortRows<R>(rows: R[], column: Column<R>, direction: SortDirection): R[] {
  const sign = direction === 'ascending' ? 1 : -1;
  const keyed = rows.map((row) => ({ row, value: column.value(row) }));
  keyed.sort((x, y) => {
    if (x.value === undefined || y.value === undefined) return Number(x.value === undefined) - Number(y.value === undefined);
    return sign * compareValues(x.value, y.value);
  });
  return keyed.map((k) => k.row);
}

/** Whether any of the texts holds the query, case aside; every text matches no query. */
export function matches(texts: string[], query: string): boolean {
  const q = query.trim().toLowerCase();
  return !q || texts.some((t) => t.toLowerCase().includes(q));
}

/** The rows with the query in the text of any of the given columns. */
export function filterRows<R>(rows: R[], columns: Column<R>[], query: string): R[] {
  return rows.filter((row) => matches(columns.map((c) => cellText(c, row)), query));
}

/** A header click: ascending, then descending, then back to the rows' own order. */
export function nextSort(current: SortOrder | undefined, column: string): SortOrder | undefined {
  if (current?.column !== column) return { column, direction: 'ascending' };
  return current.direction === 'ascending' ? { column, direction: 'descending' } : undefined;
}

export interface Arrangement {
  sort?: SortOrder;
  filter: string;
  /** The visible columns, which the filter searches. */
  visible: string[];
  baseline?: string;
}

/**
 * The rows as the table shows them: filtered, sorted, the baseline first. The baseline is shown
 * whatever the filter, since the other rows' differences are read against it.
 */
export function arrangeRows<R>(rows: R[], columns: Column<R>[], idOf: (row: R) => string, how: Arrangement): R[] {
  const visible = columns.filter((c) => how.visible.includes(c.id));
  const sortColumn = how.sort && columns.find((c) => c.id === how.sort!.column);
  const baseline = rows.find((r) => idOf(r) === how.baseline);
  let shown = filterRows(rows.filter((r) => r !== baseline), visible, how.filter);
  if (sortColumn) shown = sortRows(shown, sortColumn, how.sort!.direction);
  return baseline ? [baseline, ...shown] : shown;
}
