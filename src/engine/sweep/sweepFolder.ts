/**
 * A sweep's folder, beside the runs folder (`<runs>/../sweeps/<id>/`): sweep.json with the grid and each
 * task's state, and logs/ with each task's output. The id comes from the grid, so submitting the same
 * grid again opens the same folder and carries on from what it says.
 *
 * Tasks that run at once on a cluster never write sweep.json: each writes its own `tasks/<index>.json`,
 * and reading the sweep merges those written since sweep.json over its entries.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SweepGrid, SweepRecord, SweepTaskState, sweepTasks } from '../../shared/experiment/sweep';
import { readJson } from '../../runs/files';
import { writeFileAtomic } from '../../runs/store';

export const SWEEP_FILE = 'sweep.json';
export const TASKS_DIR = 'tasks';
/** The report over the sweep's seeds and settings, rewritten whenever its tasks have all ended. */
export const SWEEP_REPORT_DIR = 'report';
export const SWEEP_REPORT_FILES = { html: 'report.html', markdown: 'report.md', json: 'summary.json', csv: 'summary.csv', runsCsv: 'runs.csv' } as const;
/** The report's files of the sweep in `dir`. */
export const sweepReportFiles = (dir: string) =>
  Object.fromEntries(Object.entries(SWEEP_REPORT_FILES).map(([key, name]) => [key, path.join(dir, SWEEP_REPORT_DIR, name)])) as Record<keyof typeof SWEEP_REPORT_FILES, string>;

/** The same grid, with its flags in any order, has the same id. */
export function sweepId(grid: SweepGrid): string {
  const canonical = { base: grid.base, axes: [...grid.axes].sort((a, b) => a.flag.localeCompare(b.flag)), seeds: grid.seeds };
  return `sweep-${createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 10)}`;
}

export function sweepsDirOf(runsDir: string): string {
  return path.join(path.dirname(path.resolve(runsDir)), 'sweeps');
}

export function readSweep(dir: string): SweepRecord {
  const file = path.join(dir, SWEEP_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${dir} is not a sweep folder: it has no ${SWEEP_FILE}. Sweeps are the folders under the sweeps folder beside the runs folder (.assignment2/sweeps/sweep-<id>).`);
    throw new Error(`${file} cannot be read (${(err as Error).message}); delete the folder to start the sweep afresh.`);
  }
  const parsed = SweepRecord.safeParse(raw);
  if (!parsed.success) throw new Error(`${file} is not a sweep record (${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}); delete the folder to start the sweep afresh.`);
  return withTaskStates(dir, parsed.data, fs.statSync(file).mtimeMs);
}

const taskFile = (dir: string, index: number) => path.join(dir, TASKS_DIR, `${index}.json`);

/** The record with each task's own file in place of its entry, where that file is as new as sweep.json or newer. */
function withTaskStates(dir: string, record: SweepRecord, recordTime: number): SweepRecord {
  const tasks = record.tasks.map((entry) => {
    const file = taskFile(dir, entry.index);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      return entry;
    }
    if (stat.mtimeMs < recordTime) return entry;
    const read = readJson(file, SweepTaskState);
    if (!read.ok || read.value.index !== entry.index) throw new Error(`${file} is not the state of task ${entry.index}; delete it, and the task runs again when the sweep is submitted again.`);
    return read.value;
  });
  return { ...record, tasks };
}

/** The runs folder of the sweep in `dir`. */
export const runsDirOf = (dir: string, record: SweepRecord) => path.resolve(dir, record.runsDir);

/** One task's state, written by the process that runs it, beside the others' and never over them. */
export function writeTaskState(dir: string, entry: SweepTaskState): void {
  fs.mkdirSync(path.join(dir, TASKS_DIR), { recursive: true });
  writeFileAtomic(taskFile(dir, entry.index), JSON.stringify(entry, null, 2) + '\n');
}

export function writeSweep(dir: string, record: SweepRecord): void {
  writeFileAtomic(path.join(dir, SWEEP_FILE), JSON.stringify(record, null, 2) + '\n');
}

/** The grid's folder and record as they are, or as they would be made (with every task pending), writing nothing. */
export function peekSweep(runsDir: string, grid: SweepGrid, argv: string[]): { dir: string; record: SweepRecord; exists: boolean } {
  const id = sweepId(grid);
  const dir = path.join(sweepsDirOf(runsDir), id);
  if (fs.existsSync(path.join(dir, SWEEP_FILE))) return { dir, record: readSweep(dir), exists: true };
  const record: SweepRecord = {
    schemaVersion: 1,
    id,
    createdAt: new Date().toISOString(),
    argv,
    runsDir: path.relative(dir, path.resolve(runsDir)),
    grid,
    tasks: sweepTasks(grid).map((t) => ({ index: t.index, seed: t.seed, setting: t.setting, status: 'pending', log: path.join('logs', `task-${t.index}.log`), runIds: [] })),
  };
  return { dir, record, exists: false };
}

/** The grid's folder and record: opened as it was left, or made with every task pending. */
export function openSweep(runsDir: string, grid: SweepGrid, argv: string[]): { dir: string; record: SweepRecord } {
  const { dir, record, exists } = peekSweep(runsDir, grid, argv);
  if (exists) return { dir, record };
  fs.mkdirSync(path.join(dir, 'logs'), { recursive: true });
  writeSweep(dir, record);
  return { dir, record };
}
