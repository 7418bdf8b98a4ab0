/**
 * A runs table that works like a tracker's: click a header to sort (again to reverse, a third time for
 * the runs' own order), filter by text, choose the columns, and pin a baseline run whose figures the
 * other rows are read against. Its arrangement is kept in the page's state, per table.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { RunsTableState } from '../../extension/views/workbench/protocol';
import { RunListItem } from '../../runs/schema';
import { Column, TrainingRun, cellText, differenceText } from '../../shared/runsTable/columns';
import { arrangeRows, matches, nextSort } from '../../shared/runsTable/sortFilter';
import { button, el } from '../dom';
import { persist, restored } from '../viewState';

export type DamagedRun = Extract<RunListItem, { ok: false }>;
type TableKey = 'q2aRunsTable' | 'disNetRunsTable' | 'sharpenedRunsTable';
type Checkbox = HTMLElement & { checked: boolean; label: string };

export interface RunsTableOptions<R extends TrainingRun> {
  /** The table element's classes. */
  className: string;
  stateKey: TableKey;
  /** Every column, in the order shown; `defaults` are shown until the student chooses. */
  columns: Column<R>[];
  defaults: string[];
  /** Cells drawn as elements instead of their text (the status with its collapse marker). */
  cells?: Record<string, (row: R) => Node>;
  /** Cells before the pin and the columns, neither sorted nor filtered (Q2a's "Show" tick). */
  leading?: { header: string; cell: (row: R) => Node }[];
}

export class RunsTable<R extends TrainingRun> {
  readonly root = el('div', { className: 'runs-table' });
  private readonly filterField = el('vscode-textfield') as HTMLElement & { value: string };
  private readonly count = el('span', { className: 'muted runs-count', role: 'status' });
  private readonly chooser = el('vscode-collapsible') as HTMLElement & { heading: string };
  private readonly boxes = new Map<string, Checkbox>();
  private readonly baselineNote = el('p', { className: 'muted baseline-note' });
  private readonly tableBox = el('div', { className: 'table-scroll' });
  private state: RunsTableState;
  private rows: R[] = [];
  private damaged: DamagedRun[] = [];

  constructor(private readonly options: RunsTableOptions<R>) {
    this.state = restored(options.stateKey) ?? {};
    this.filterField.setAttribute('placeholder', 'Filter runs');
    this.filterField.setAttribute('aria-label', 'Filter runs: shows the runs with this text in any visible cell');
    this.filterField.value = this.state.filter ?? '';
    this.filterField.addEventListener('input', () => this.change({ filter: this.filterField.value }));
    for (const column of options.columns) {
      const box = el('vscode-checkbox') as Checkbox;
      box.label = column.label;
      box.dataset.column = column.id;
      box.addEventListener('change', () => {
        const chosen = options.columns.filter((c) => this.boxes.get(c.id)!.checked).map((c) => c.id);
        this.change({ columns: chosen });
      });
      this.boxes.set(column.id, box);
    }
    this.chooser.append(el('div', { className: 'column-chooser' }, [...this.boxes.values()]));
    this.root.append(el('div', { className: 'runs-table-tools' }, [this.filterField, this.count]), this.chooser, this.baselineNote, this.tableBox);
  }

  setRows(rows: R[], damaged: DamagedRun[] = []): void {
    this.rows = rows;
    this.damaged = damaged;
    this.render();
  }

  private change(patch: Partial<RunsTableState>): void {
    this.state = { ...this.state, ...patch };
    persist(this.options.stateKey, this.state);
    this.render();
  }

  /** The chosen columns that exist (a saved choice may name a column this page no longer has); at least one. */
  private visible(): Column<R>[] {
    const chosen = this.options.columns.filter((c) => (this.state.columns ?? this.options.defaults).includes(c.id));
    return chosen.length ? chosen : this.options.columns.filter((c) => this.options.defaults.includes(c.id));
  }

  private render(): void {
    const visible = this.visible();
    for (const [id, box] of this.boxes) box.checked = visible.some((c) => c.id === id);
    this.chooser.heading = `Columns (${visible.length} of ${this.options.columns.length})`;
    const baseline = this.rows.find((r) => r.run.id === this.state.baseline);
    const rows = arrangeRows(this.rows, this.options.columns, (r) => r.run.id, {
      sort: this.state.sort,
      filter: this.state.filter ?? '',
      visible: visible.map((c) => c.id),
      baseline: baseline?.run.id,
    });
    const damaged = this.damaged.filter((d) => matches([d.id, 'damaged', d.problem], this.state.filter ?? ''));
    const total = this.rows.length + this.damaged.length;
    this.count.textContent = `${rows.length + damaged.length} of ${total} runs`;
    this.baselineNote.textContent = baseline ? `Baseline: ${baseline.run.name}. The figures of the other runs show their difference from it.` : '';
    const leading = this.options.leading ?? [];
    const table = el('table', { className: this.options.className }, [
      el('thead', {}, [el('tr', {}, [...leading.map((l) => el('th', { textContent: l.header })), el('th', { textContent: 'Baseline' }), ...visible.map((c) => this.header(c))])]),
      el('tbody', {}, [
        ...rows.map((row) => this.row(row, visible, row === baseline ? undefined : baseline)),
        ...damaged.map((d) => this.damagedRow(d, leading.length + 1, visible.length)),
      ]),
    ]);
    this.tableBox.replaceChildren(table);
  }

  private header(column: Column<R>): HTMLElement {
    const sorted = this.state.sort?.column === column.id ? this.state.sort.direction : undefined;
    const th = el('th', { className: 'sortable', tabIndex: 0, title: `Sort by ${column.label}` }, [
      el('span', { textContent: column.label }),
      el('span', { className: 'sort-mark', textContent: sorted === 'ascending' ? ' ▲' : sorted === 'descending' ? ' ▼' : '' }),
    ]);
    th.dataset.column = column.id;
    if (sorted) th.setAttribute('aria-sort', sorted);
    const sort = () => this.change({ sort: nextSort(this.state.sort, column.id) });
    th.addEventListener('click', sort);
    th.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      e.preventDefault();
      sort();
    });
    return th;
  }

  private row(row: R, visible: Column<R>[], baseline: R | undefined): HTMLElement {
    const pinned = this.state.baseline === row.run.id;
    const pin = button(pinned ? 'Unpin' : 'Pin', () => this.change({ baseline: pinned ? undefined : row.run.id }), {
      secondary: true,
      title: pinned ? 'Stop comparing the other runs with this one' : 'Show the other runs’ figures as differences from this run',
    });
    pin.setAttribute('aria-label', `${pinned ? 'Unpin' : 'Pin'} ${row.run.name} as the baseline`);
    const cells = visible.map((c) => {
      const custom = this.options.cells?.[c.id];
      const td = custom ? el('td', {}, [custom(row)]) : el('td', { textContent: cellText(c, row) });
      const difference = baseline && differenceText(c, row, baseline);
      if (difference) td.append(el('span', { className: 'difference', textContent: ` (${difference})` }));
      return td;
    });
    const tr = el('tr', { className: pinned ? 'baseline' : '' }, [...(this.options.leading ?? []).map((l) => el('td', {}, [l.cell(row)])), el('td', {}, [pin]), ...cells]);
    tr.dataset.runId = row.run.id;
    return tr;
  }

  /** A folder that could not be read: its id, "damaged" and the problem, across the columns. */
  private damagedRow(d: DamagedRun, before: number, columns: number): HTMLElement {
    return el('tr', { className: 'damaged' }, [
      el('td', { colSpan: before }),
      el('td', { textContent: d.id }),
      el('td', { textContent: 'damaged' }),
      el('td', { textContent: d.problem, colSpan: Math.max(1, columns - 2) }),
    ]);
  }
}
