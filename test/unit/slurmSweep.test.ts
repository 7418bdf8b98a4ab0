/**
 * A sweep on a real single-node Slurm (test/harness/slurm.ts): submitted as a job array, every task
 * completes and the finishing job writes the sweep's report; a second submission submits nothing; a
 * task killed mid-run (scancel) is the only one the next submission runs. Needs Debian's slurm-wlm and
 * munge (CI installs them); set ASSIGNMENT2_NO_SLURM=1 to skip it where they cannot be installed.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { findRepoRoot } from '../harness/repo';
import { Slurm, startSlurm } from '../harness/slurm';
import { readSweep, sweepReportFiles, sweepsDirOf } from '../../src/engine/sweep/sweepFolder';
import type { SweepResults } from '../../src/engine/sweep/report/sweepResults';
import { withJobLock } from '../../src/runs/locks';
import { JobSpec } from '../../src/shared/jobs/specs';

const bin = path.join(findRepoRoot(), 'bin', 'assignment2.js');
const skip = process.env.ASSIGNMENT2_NO_SLURM === '1' ? 'ASSIGNMENT2_NO_SLURM=1 is set' : false;
/** As in sweep.test.ts: Q2b in miniature. */
const TINY = ['--mode', 'frozen', '--latent', '2', '--epochs', '1', '--b-epochs', '1', '--train-images', '256', '--test-images', '128', '--warmup-steps', '0'];

let slurm: Slurm;
before(async () => {
  if (!skip) slurm = await startSlurm();
});
after(async () => {
  await slurm?.stop();
});

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env: slurm.env, maxBuffer: 64 * 2 ** 20 }, (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

interface Submitted {
  dir: string;
  submitted: number[];
  arrayJobId?: string;
  finishJobId?: string;
}

/** Every job this Slurm has seen lately, finished ones included. */
const jobIds = async () => (await slurm.client('squeue', ['-h', '--states=all', '-o', '%i'])).split('\n').filter(Boolean).sort();

async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Waits until the jobs have left the queue (a dependent job whose dependency failed would stay: hence the timeout). */
async function jobsEnded(ids: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = (await slurm.client('squeue', ['-h', '-j', ids.join(','), '-o', '%i %T'])).trim();
    if (!left) return;
    if (Date.now() > deadline) throw new Error(`jobs still queued after ${timeoutMs / 1000} s:\n${left}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

const readReport = (dir: string) => JSON.parse(fs.readFileSync(sweepReportFiles(dir).json, 'utf8')) as SweepResults;
const runFolders = (dir: string) => fs.readdirSync(dir).filter((name) => !name.startsWith('.'));

test('a sweep submitted to Slurm runs every task as an array task, then its finishing job; re-submitting runs only what is missing', { skip, timeout: 1_200_000 }, async () => {
  // A space in the path: the scripts' #SBATCH lines and commands must quote it.
  const runsDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'a2 slurm sweep-')), 'runs');
  const args = ['sweep', ...TINY, '--lambda', '0.001,0.02', '--seeds', '1-2', '--runs-dir', runsDir, '--executor', 'slurm', '--cpus-per-task', '1', '--time', '20', '--json'];

  const first = await cli(args);
  assert.equal(first.code, 0, first.stderr);
  const submitted = JSON.parse(first.stdout) as Submitted;
  assert.deepEqual(submitted.submitted, [0, 1, 2, 3]);
  assert.match(submitted.arrayJobId ?? '', /^\d+$/);
  assert.match(submitted.finishJobId ?? '', /^\d+$/);
  const { dir } = submitted;
  assert.equal(path.dirname(dir), sweepsDirOf(runsDir));
  assert.match(fs.readFileSync(path.join(dir, 'slurm', 'array.sbatch'), 'utf8'), /^#SBATCH --array=0-3$/m);
  await jobsEnded([submitted.arrayJobId!, submitted.finishJobId!], 900_000);

  const record = readSweep(dir);
  assert.deepEqual(record.tasks.map((t) => t.status), ['completed', 'completed', 'completed', 'completed'], JSON.stringify(record.tasks.map((t) => t.error)));
  assert.ok(record.finishedAt, 'the finishing job marked the sweep finished');
  assert.match(fs.readFileSync(path.join(dir, 'logs', 'finish.log'), 'utf8'), /4 of 4 tasks completed/);
  const report = readReport(dir);
  assert.deepEqual(report.tasks, { total: 4, completed: 4 }, 'the finishing job wrote the report over every task');
  assert.deepEqual(report.gaps, []);
  assert.deepEqual(report.rows.map((r) => [r.setting['--lambda'], r.model, r.seeds]), [['0.001', '(a)', [1, 2]], ['0.001', '(b) frozen', [1, 2]], ['0.02', '(a)', [1, 2]], ['0.02', '(b) frozen', [1, 2]]]);
  assert.equal(fs.readdirSync(path.join(dir, 'report', 'figures')).length, 3);
  // Per seed: (a), dis_net and the judge, shared by both λ; and one (b) per task.
  assert.equal(runFolders(runsDir).length, 2 * 3 + 4);
  for (const task of record.tasks) {
    assert.equal(task.runIds.length, 4, `task ${task.index} names its (a), dis_net, judge and (b)`);
    for (const id of task.runIds) assert.equal(JSON.parse(fs.readFileSync(path.join(runsDir, id, 'run.json'), 'utf8')).status, 'completed');
  }
  const logs = record.tasks.map((t) => fs.readFileSync(path.join(dir, t.log), 'utf8'));
  assert.ok(logs.every((log) => log.includes('$ assignment2 q2b')), 'each array task wrote its output to its log');

  // Again: every task is done, so nothing is submitted.
  const seen = await jobIds();
  const again = await cli(args.filter((a) => a !== '--json'));
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /nothing is missing, all 4 tasks are done; nothing submitted/);
  assert.deepEqual(await jobIds(), seen, 'no job was submitted');

  // A task killed mid-run: with its (b) lost, and that job's lock held here, the resubmitted task waits
  // for this process; scancel kills it there. The next submission runs that task alone, reusing the rest.
  const lost = record.tasks[2].runIds[3];
  const lostJob = (JSON.parse(fs.readFileSync(path.join(runsDir, lost, 'run.json'), 'utf8')) as { job: JobSpec }).job;
  fs.rmSync(path.join(runsDir, lost), { recursive: true });
  await withJobLock(runsDir, lostJob, { onWait: () => assert.fail('nothing else holds the lock yet') }, async () => {
    const killedRun = await cli(args);
    assert.equal(killedRun.code, 0, killedRun.stderr);
    const killed = JSON.parse(killedRun.stdout) as Submitted;
    assert.deepEqual(killed.submitted, [2]);
    assert.match(fs.readFileSync(path.join(dir, 'slurm', 'array.sbatch'), 'utf8'), /^#SBATCH --array=2$/m);
    await until('task 2 waits for this process', () => fs.readFileSync(path.join(dir, record.tasks[2].log), 'utf8').includes(`waiting for process ${process.pid}`), 300_000);
    assert.equal(readSweep(dir).tasks[2].status, 'running');
    // Submitting again now would run task 2 twice over: refused, naming the jobs still queued.
    const twice = await cli(args);
    assert.notEqual(twice.code, 0);
    assert.match(twice.stderr, new RegExp(`jobs ${killed.arrayJobId}, ${killed.finishJobId} of its last submission are still queued or running`));
    await slurm.client('scancel', [`${killed.arrayJobId}_2`]);
    await jobsEnded([killed.arrayJobId!, killed.finishJobId!], 300_000);
  });
  const cancelled = readSweep(dir);
  assert.equal(cancelled.tasks[2].status, 'cancelled', JSON.stringify(cancelled.tasks[2]));
  assert.ok(cancelled.finishedAt, 'the finishing job ran after the cancelled array too');
  assert.match(readReport(dir).gaps.join('\n'), /^task 2 \(λ 0\.02, seed 1\) is cancelled/, 'its report names the cancelled task');
  const logs2 = fs.readFileSync(path.join(dir, record.tasks[2].log), 'utf8');

  const resumed = await cli(args);
  assert.equal(resumed.code, 0, resumed.stderr);
  const resubmitted = JSON.parse(resumed.stdout) as Submitted;
  assert.deepEqual(resubmitted.submitted, [2]);
  await jobsEnded([resubmitted.arrayJobId!, resubmitted.finishJobId!], 600_000);
  const after = readSweep(dir);
  assert.deepEqual(after.tasks.map((t) => t.status), ['completed', 'completed', 'completed', 'completed']);
  assert.equal(runFolders(runsDir).length, 10);
  assert.deepEqual(after.tasks[2].runIds.slice(0, 3), record.tasks[2].runIds.slice(0, 3), 'the finished (a), dis_net and judge were reused');
  assert.notEqual(after.tasks[2].runIds[3], lost);
  const logsAfter = after.tasks.map((t) => fs.readFileSync(path.join(dir, t.log), 'utf8'));
  assert.deepEqual([0, 1, 3].map((i) => logsAfter[i]), [0, 1, 3].map((i) => logs[i]), 'no other task ran');
  assert.ok(logsAfter[2].length > logs2.length);
  assert.ok(readReport(dir).runs.some((r) => r.runId === after.tasks[2].runIds[3]), "the report has the re-run task's (b)");
});
