/** A run's status for the tables, and a visible warning for every autoencoder that has collapsed. */
import { RunListItem, RunStatus } from '../runs/schema';
import { lastCollapse } from '../shared/q2a/collapse';
import { el } from './dom';

type Run = Extract<RunListItem, { ok: true }>;

const statusClass = (status: RunStatus) => `status-${status}`;

/** The status word, with "collapsed" after it (the reason on hover) when the last epoch collapsed. */
export function runStatus(item: Run): HTMLElement {
  const { run } = item;
  const cell = el('span', {}, [el('span', { textContent: run.status, className: statusClass(run.status), title: run.error ?? '' })]);
  const collapse = lastCollapse(item.metrics);
  if (collapse) cell.append(' ', el('span', { textContent: 'collapsed', className: 'status-collapsed', title: collapse }));
  return cell;
}

/** One line per collapsed run, for above its table: the reason should not hide in a tooltip. */
export function collapseWarnings(items: Run[]): HTMLElement[] {
  return items.flatMap((item) => {
    const collapse = lastCollapse(item.metrics);
    return collapse ? [el('p', { className: 'collapse-warning', role: 'alert', textContent: `⚠ ${item.run.name} has ${collapse}.` })] : [];
  });
}
