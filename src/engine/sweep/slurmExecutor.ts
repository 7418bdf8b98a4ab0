/**
 * Submits a sweep to Slurm: every task is planned here first, and only those with something to train
 * go into the job array (a task whose runs are all done is marked completed, so a second submission
 * submits nothing); then the finishing job, after the array. Each array task runs `sweep-task` on the
 * shared runs folder, where the reuse and per-job locks keep tasks that share runs from training them twice.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SweepRecord } from '../../shared/experiment/sweep';
import { findPackageRoot } from '../packageRoot';
import { PlannedTask, finishedRunIds } from './localExecutor';
import { SlurmOptions, shellQuote, sweepScripts } from './slurmScript';
import { writeSweep } from './sweepFolder';

export interface SlurmSubmission {
  dir: string;
  record: SweepRecord;
  planned: PlannedTask[];
  runsDir: string;
  /** Flags every task gets besides its own (the backend, the threads). */
  common: string[];
  options: SlurmOptions;
  /** Print the scripts and the sbatch commands; write and submit nothing. */
  dryRun: boolean;
  out(text: string): void;
}

export interface SlurmSubmitted {
  /** The tasks put in the array (none: nothing is missing, nothing was submitted). */
  indices: number[];
  arrayJobId?: string;
  finishJobId?: string;
  scripts?: { array: string; finish: string };
}

/** `sbatch --parsable <script>`: the job id it prints; an error that says what to do when it fails. */
function sbatch(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('sbatch', ['--parsable', ...args], (err, stdout, stderr) => {
      if ((err as NodeJS.ErrnoException | null)?.code === 'ENOENT') {
        reject(new Error('sbatch was not found on PATH: run the sweep on a machine where Slurm\'s commands work (a cluster\'s login node, e.g. after "module load slurm"), or use --executor local.'));
      } else if (err) {
        reject(new Error(`sbatch ${args.join(' ')} failed: ${stderr.trim() || err.message}`));
      } else {
        const id = stdout.trim().match(/^(\d+)(;\S+)?$/);
        if (!id) reject(new Error(`sbatch ${args.join(' ')} printed "${stdout.trim()}", not a job id.`));
        else resolve(id[1]);
      }
    });
  });
}

export async function submitSweepToSlurm(s: SlurmSubmission): Promise<SlurmSubmitted> {
  const { dir, record } = s;
  const indices: number[] = [];
  for (const entry of record.tasks) {
    const runIds = finishedRunIds(s.planned[entry.index], s.runsDir);
    if (runIds) Object.assign(entry, { status: 'completed', runIds, error: undefined });
    else {
      Object.assign(entry, { status: 'pending', error: undefined });
      indices.push(entry.index);
    }
  }
  if (!indices.length) {
    if (!s.dryRun) writeSweep(dir, { ...record, finishedAt: record.finishedAt ?? new Date().toISOString() });
    return { indices };
  }
  const cli = path.join(findPackageRoot(), 'bin', 'assignment2.js');
  const scripts = sweepScripts({ dir, sweepId: record.id, indices, node: process.execPath, cli, common: ['--runs-dir', s.runsDir, ...s.common], options: s.options });
  const files = { array: path.join(dir, 'slurm', 'array.sbatch'), finish: path.join(dir, 'slurm', 'finish.sbatch') };
  const commands = { array: ['sbatch', '--parsable', files.array], finish: (id: string) => ['sbatch', '--parsable', `--dependency=afterany:${id}`, files.finish] };
  if (s.dryRun) {
    s.out(`# ${files.array}\n${scripts.array}\n# ${files.finish}\n${scripts.finish}\n`);
    s.out(`array=$(${commands.array.map(shellQuote).join(' ')})\n${commands.finish('ARRAY').map(shellQuote).join(' ').replace('afterany:ARRAY', 'afterany:"$array"')}\n`);
    return { indices, scripts };
  }
  fs.mkdirSync(path.dirname(files.array), { recursive: true });
  fs.mkdirSync(path.join(dir, 'logs'), { recursive: true });
  fs.writeFileSync(files.array, scripts.array, { mode: 0o755 });
  fs.writeFileSync(files.finish, scripts.finish, { mode: 0o755 });
  // Written before anything runs: from here on the array's tasks write only their own state files.
  writeSweep(dir, { ...record, finishedAt: undefined });
  const arrayJobId = await sbatch(commands.array.slice(2));
  const finishJobId = await sbatch(commands.finish(arrayJobId).slice(2)).catch((err: Error) => {
    throw new Error(`${err.message}\nJob array ${arrayJobId} was submitted: its tasks still record their states, but nothing will mark the sweep finished.`);
  });
  return { indices, arrayJobId, finishJobId, scripts };
}
