/**
 * Submits a sweep to Slurm: every task is planned here first, and only those with something to train
 * go into the job array (a task whose runs are all done is marked completed, so a second submission
 * submits nothing); then the finishing job, after the array. Each array task runs `sweep-task` on the
 * shared runs folder, where the reuse and per-job locks keep tasks that share runs from training them twice.
 * A submission while the last one's jobs are still queued is refused: its running tasks would look missing.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SweepRecord } from '../../shared/experiment/sweep';
import { findPackageRoot } from '../packageRoot';
import { PlannedTask, finishedRunIds } from './localExecutor';
import { shellQuote } from '../../shared/shellQuote';
import { SlurmOptions, sweepScripts } from './slurmScript';
import { writeSweep } from './sweepFolder';
import { writeFileAtomic } from '../../runs/store';
import { z } from '../../shared/zod';

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

/** slurm/submission.json: the jobs of the last submission, so that the next one can tell whether they are still queued. */
const Submission = z.object({ arrayJobId: z.string().regex(/^\d+$/), finishJobId: z.string().regex(/^\d+$/).optional(), submittedAt: z.string() });
const submissionFile = (dir: string) => path.join(dir, 'slurm', 'submission.json');

/** The jobs of the sweep's last submission that Slurm still has queued or running (none when it has forgotten them). */
function stillQueued(dir: string): Promise<string[]> {
  let last: z.infer<typeof Submission>;
  try {
    last = Submission.parse(JSON.parse(fs.readFileSync(submissionFile(dir), 'utf8')));
  } catch {
    return Promise.resolve([]);
  }
  return new Promise((resolve) => {
    // squeue fails on job ids it no longer knows: those have ended long ago.
    execFile('squeue', ['-h', '-j', [last.arrayJobId, ...(last.finishJobId ? [last.finishJobId] : [])].join(','), '-o', '%A'], (err, stdout) => resolve(err ? [] : [...new Set(stdout.split('\n').map((l) => l.trim()).filter(Boolean))].sort((a, b) => Number(a) - Number(b))));
  });
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
  // Its tasks would plan as missing while they train, and run twice over.
  const queued = s.dryRun ? [] : await stillQueued(dir);
  if (queued.length) throw new Error(`Sweep ${record.id}: jobs ${queued.join(', ')} of its last submission are still queued or running (squeue -j ${queued.join(',')}); submit it again when they have ended, or cancel them first (scancel ${queued.join(' ')}).`);
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
  const recordSubmission = (finishJobId?: string) => writeFileAtomic(submissionFile(dir), JSON.stringify({ arrayJobId, finishJobId, submittedAt: new Date().toISOString() }, null, 2) + '\n');
  recordSubmission();
  const finishJobId = await sbatch(commands.finish(arrayJobId).slice(2)).catch((err: Error) => {
    throw new Error(`${err.message}\nJob array ${arrayJobId} was submitted: its tasks still record their states, but nothing will mark the sweep finished.`);
  });
  recordSubmission(finishJobId);
  return { indices, arrayJobId, finishJobId, scripts };
}
