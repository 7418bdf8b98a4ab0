/**
 * A sweep's folder, beside the runs folder (`<runs>/../sweeps/<id>/`): sweep.json with the grid and each
 * task's state, and logs/ with each task's output. The id comes from the grid, so submitting the same
 * grid again opens the same folder and carries on from what it says.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SweepGrid, SweepRecord, sweepTasks } from '../../shared/experiment/sweep';
import { writeFileAtomic } from '../../runs/store';

export const SWEEP_FILE = 'sweep.json';

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
    throw new Error(`${file} cannot be read (${(err as Error).message}); delete the folder to start the sweep afresh.`);
  }
  const parsed = SweepRecord.safeParse(raw);
  if (!parsed.success) throw new Error(`${file} is not a sweep record (${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}); delete the folder to start the sweep afresh.`);
  return parsed.data;
}

export function writeSweep(dir: string, record: SweepRecord): void {
  writeFileAtomic(path.join(dir, SWEEP_FILE), JSON.stringify(record, null, 2) + '\n');
}

/** The grid's folder and record: opened as it was left, or made with every task pending. */
export function openSweep(runsDir: string, grid: SweepGrid, command: string): { dir: string; record: SweepRecord } {
  const id = sweepId(grid);
  const dir = path.join(sweepsDirOf(runsDir), id);
  if (fs.existsSync(path.join(dir, SWEEP_FILE))) return { dir, record: readSweep(dir) };
  fs.mkdirSync(path.join(dir, 'logs'), { recursive: true });
  const record: SweepRecord = {
    schemaVersion: 1,
    id,
    createdAt: new Date().toISOString(),
    command,
    grid,
    tasks: sweepTasks(grid).map((t) => ({ index: t.index, seed: t.seed, setting: t.setting, status: 'pending', log: path.join('logs', `task-${t.index}.log`), runIds: [] })),
  };
  writeSweep(dir, record);
  return { dir, record };
}
