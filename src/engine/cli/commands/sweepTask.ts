/**
 * sweep-task: what each task of a sweep's Slurm job array runs. `sweep-task <dir> <index>` runs that
 * task's q2b command line as the local executor does and writes its state to the task's own file;
 * `sweep-task <dir> --finish`, the job after the array, gathers the states into sweep.json, marks
 * the sweep finished and writes its report.
 */
import * as path from 'node:path';
import { sweepTasks } from '../../../shared/experiment/sweep';
import { runTask } from '../../sweep/localExecutor';
import { describeSweepReport, writeSweepReport } from '../../sweep/report/writeSweepReport';
import { readSweep, runsDirOf, writeSweep, writeTaskState } from '../../sweep/sweepFolder';
import { CliCommand, Invocation } from '../command';
import { UsageError } from '../flags';
import { plannedTasks, taskCommonFlags } from './sweep';

async function runOne(inv: Invocation, dir: string, indexText: string): Promise<number> {
  const record = readSweep(dir);
  const entry = /^\d+$/.test(indexText) ? record.tasks[Number(indexText)] : undefined;
  if (!entry) throw new UsageError(`task ${indexText} is not in the sweep: give an index from 0 to ${record.tasks.length - 1}.`);
  const planned = plannedTasks(sweepTasks(record.grid))[entry.index];
  // scancel and a time limit send SIGTERM: stop the task as Ctrl+C would, so that it records why it ended.
  const terminated = new AbortController();
  process.once('SIGTERM', () => terminated.abort());
  const signal = AbortSignal.any([inv.signal, terminated.signal]);
  const ended = runTask(dir, entry, planned, { runsDir: inv.runsDir, common: taskCommonFlags(inv.values), signal });
  writeTaskState(dir, entry);
  await ended;
  writeTaskState(dir, entry);
  inv.err(`task ${entry.index} ${entry.status}${entry.error ? `: ${entry.error}` : ''}\n`);
  return entry.status === 'completed' ? 0 : 1;
}

function finish(inv: Invocation, dir: string): number {
  const record = { ...readSweep(dir), finishedAt: new Date().toISOString() };
  writeSweep(dir, record);
  const failed = record.tasks.filter((t) => t.status !== 'completed');
  const lines = [`Sweep ${record.id}: ${record.tasks.length - failed.length} of ${record.tasks.length} tasks completed.`, ...failed.map((t) => `  task ${t.index} ${t.status}: ${t.error ?? `see ${path.join(dir, t.log)}`}`)];
  inv.out(lines.join('\n') + '\n');
  inv.out(describeSweepReport(writeSweepReport(dir, record, runsDirOf(dir, record), inv.signal)));
  return 0;
}

export const sweepTask: CliCommand = {
  name: 'sweep-task',
  summary: "Runs task n of the sweep in <dir> (what each Slurm array task runs), or with --finish records the sweep as finished and writes its report.",
  positionals: '<dir> <n>',
  flags: [{ name: '--finish', path: 'options.finish', kind: 'boolean', help: "Gather the tasks' states into sweep.json, mark the sweep finished and write its report" }],
  run: async (inv, positionals) => {
    const [dirText, indexText, ...rest] = positionals;
    const finishing = inv.values.finish === true;
    if (!dirText || rest.length || (finishing ? indexText !== undefined : indexText === undefined)) throw new UsageError('give a sweep folder and a task index (sweep-task <dir> <n>), or a sweep folder and --finish.');
    const dir = path.resolve(dirText);
    return finishing ? finish(inv, dir) : runOne(inv, dir, indexText);
  },
};
