/**
 * The sweeps folder as the Sweeps view shows it: every sweep read with readSweep (so the states its
 * tasks wrote on a cluster count), newest first, a damaged one kept with its problem; and the words
 * for a sweep's progress and its tasks. Free of the vscode module.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SweepRecord, SweepTaskState, settingText, sweepCommand } from '../../../shared/experiment/sweep';
import { SWEEP_FILE, SWEEP_REPORT_DIR, TASKS_DIR, readSweep, sweepReportFiles } from '../../../engine/sweep/sweepFolder';

export type SweepListItem =
  | { ok: true; dir: string; record: SweepRecord; hasReport: boolean }
  | { ok: false; dir: string; id: string; problem: string };

/** What a sweep's icon says: a task runs, one failed, all are done, or none of these (pending, cancelled). */
export type SweepState = 'running' | 'failed' | 'completed' | 'idle';

/** The sweep folders in `sweepsDir`, newest first, damaged ones last. A missing folder has none. */
export function listSweeps(sweepsDir: string): SweepListItem[] {
  const items = sweepFolders(sweepsDir).map((dir): SweepListItem => {
    try {
      return { ok: true, dir, record: readSweep(dir), hasReport: fs.existsSync(sweepReportFiles(dir).html) };
    } catch (err) {
      return { ok: false, dir, id: path.basename(dir), problem: (err as Error).message };
    }
  });
  const key = (item: SweepListItem) => (item.ok ? `1${item.record.createdAt}` : `0${item.id}`);
  return items.sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0));
}

function sweepFolders(sweepsDir: string): string[] {
  try {
    return fs
      .readdirSync(sweepsDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
      .map((entry) => path.join(sweepsDir, entry.name));
  } catch {
    return [];
  }
}

/**
 * What changes when a sweep does: the times and sizes of its sweep.json, task states and report, in
 * every sweep folder. Comparing this every few seconds is a handful of stats, not a read of each file.
 */
export function sweepsFingerprint(sweepsDir: string): string {
  const stamp = (file: string) => {
    try {
      const stat = fs.statSync(file);
      return `${stat.mtimeMs}:${stat.size}`;
    } catch {
      return '-';
    }
  };
  const tasks = (dir: string) => {
    try {
      return fs.readdirSync(path.join(dir, TASKS_DIR)).map((name) => `${name}@${stamp(path.join(dir, TASKS_DIR, name))}`);
    } catch {
      return [];
    }
  };
  return sweepFolders(sweepsDir)
    .map((dir) => [dir, stamp(path.join(dir, SWEEP_FILE)), ...tasks(dir), stamp(sweepReportFiles(dir).html)].join(' '))
    .join('\n');
}

/** How far it is: "3/4 done · 1 failed · 1 running", and "report" when its report is written. */
export function sweepProgress(record: SweepRecord, hasReport: boolean): string {
  const count = (status: SweepTaskState['status']) => record.tasks.filter((t) => t.status === status).length;
  const parts = [`${count('completed')}/${record.tasks.length} done`];
  for (const status of ['failed', 'cancelled', 'running'] as const) if (count(status)) parts.push(`${count(status)} ${status}`);
  if (hasReport) parts.push('report');
  return parts.join(' · ');
}

export function sweepState(record: SweepRecord): SweepState {
  const statuses = new Set(record.tasks.map((t) => t.status));
  if (statuses.has('running')) return 'running';
  if (statuses.has('failed')) return 'failed';
  return statuses.size === 1 && statuses.has('completed') ? 'completed' : 'idle';
}

/** "task 3: λ 0.02, seed 2". */
export const taskLabel = (task: SweepTaskState) => `task ${task.index}: ${settingText(task)}`;

/** The folder's tooltip lines: id, command line, when, and the flags every task gets. */
export function sweepDetails(record: SweepRecord): string[] {
  return [
    record.id,
    `$ ${sweepCommand(record)}`,
    `created ${record.createdAt}${record.finishedAt ? `, finished ${record.finishedAt}` : ''}`,
    `every task: ${record.grid.base.length ? record.grid.base.join(' ') : 'the defaults'}`,
  ];
}

/**
 * A file of the sweep, by its path relative to the sweep folder: refused when it resolves (through a
 * `..` or a symbolic link) outside the folder, since sweep.json may be written by anyone.
 */
export function fileInSweep(dir: string, relative: string, what: string): string {
  const file = path.resolve(dir, relative);
  const inside = (root: string, target: string) => {
    const rel = path.relative(root, target);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  };
  if (!inside(path.resolve(dir), file)) throw new Error(`${what} ${relative} of ${dir} lies outside the sweep folder; it is not opened.`);
  if (!fs.existsSync(file)) return file;
  if (!inside(fs.realpathSync(dir), fs.realpathSync(file))) throw new Error(`${what} ${file} links outside the sweep folder; it is not opened.`);
  return file;
}

/** The sweep's report.html, checked to lie in its folder; `null` while it is not written. */
export function sweepReportHtml(dir: string): string | null {
  const file = fileInSweep(dir, path.relative(dir, sweepReportFiles(dir).html), 'The report');
  return fs.existsSync(file) ? file : null;
}

/** Why there is no report, and how to write one now. */
export const missingReportMessage = (dir: string) =>
  `Sweep ${path.basename(dir)} has no report yet (${path.join(SWEEP_REPORT_DIR, 'report.html')}): it is written when the sweep's tasks have all ended, or now with npx assignment2 sweep-report "${dir}".`;
