/**
 * Runs a sweep's tasks on this machine, `jobs` at a time (default 1: one task already trains on every
 * core). Each task is the q2b command line in a process of its own, its output in the task's log, as a
 * cluster's task would run it; a task whose plan trains nothing is marked done without starting one.
 * sweep.json is rewritten at every change, so an interrupted sweep is carried on by the next submission.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ExperimentOverrides } from '../../shared/experiment/overrides';
import { SweepRecord, SweepTask } from '../../shared/experiment/sweep';
import { findPackageRoot } from '../packageRoot';
import { ExperimentResult, runIdsOf } from '../jobs/experiment';
import { planExperiment } from '../jobs/plan';
import { writeSweep } from './sweepFolder';

export interface PlannedTask {
  task: SweepTask;
  overrides: ExperimentOverrides;
}

export interface LocalOptions {
  jobs: number;
  runsDir: string;
  /** Flags every task's process gets besides its own (the backend, the threads). */
  common: string[];
  signal: AbortSignal;
  /** Told of every task that ends, with its new state. */
  onEnd(task: SweepRecord['tasks'][number]): void;
}

/** The task's runs, when its plan trains nothing (they are all done); else `null`. */
export function finishedRunIds(planned: PlannedTask, runsDir: string): string[] | null {
  const plan = planExperiment('q2b', planned.overrides, runsDir);
  return plan.steps.some((s) => s.action === 'train') ? null : plan.steps.flatMap((s) => (s.runId ? [s.runId] : []));
}

/** Runs one task in a process of its own (what a cluster's array task does too); resolves when it has ended, `entry` updated. */
export function runTask(dir: string, entry: SweepRecord['tasks'][number], planned: PlannedTask, options: Pick<LocalOptions, 'runsDir' | 'common' | 'signal'>): Promise<void> {
  const runIds = finishedRunIds(planned, options.runsDir);
  if (runIds) {
    Object.assign(entry, { status: 'completed', runIds, error: undefined });
    return Promise.resolve();
  }
  const cli = path.join(findPackageRoot(), 'bin', 'assignment2.js');
  const log = fs.openSync(path.join(dir, entry.log), 'a');
  fs.writeSync(log, `$ assignment2 q2b ${planned.task.flags.join(' ')}\n`);
  const child = spawn(process.execPath, [cli, 'q2b', ...planned.task.flags, ...options.common, '--runs-dir', options.runsDir, '--json'], { stdio: ['ignore', 'pipe', log] });
  let stdout = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  // Ctrl+C reaches the task as it would from a terminal: it stops after its batch and keeps its runs.
  const cancel = () => child.kill('SIGINT');
  options.signal.addEventListener('abort', cancel, { once: true });
  Object.assign(entry, { status: 'running', error: undefined });
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      options.signal.removeEventListener('abort', cancel);
      fs.closeSync(log);
      const where = path.join(dir, entry.log);
      if (code === 0) {
        try {
          Object.assign(entry, { status: 'completed', runIds: runIdsOf(JSON.parse(stdout) as ExperimentResult) });
        } catch (err) {
          Object.assign(entry, { status: 'failed', error: `its output was not the q2b result (${(err as Error).message}); see ${where}` });
        }
      } else if (code === 130 || options.signal.aborted) {
        Object.assign(entry, { status: 'cancelled', error: `cancelled; see ${where}` });
      } else {
        Object.assign(entry, { status: 'failed', error: `exited with ${code ?? signal}; see ${where}` });
      }
      resolve();
    });
  });
}

/**
 * Every task, `jobs` at a time; returns the record as it ends. Completed ones are planned again too
 * (no process starts for them), so a run deleted since is trained again.
 */
export async function runSweepLocally(dir: string, record: SweepRecord, planned: PlannedTask[], options: LocalOptions): Promise<SweepRecord> {
  const queue = [...record.tasks];
  const worker = async () => {
    for (let entry = queue.shift(); entry && !options.signal.aborted; entry = queue.shift()) {
      const started = runTask(dir, entry, planned[entry.index], options);
      writeSweep(dir, record);
      await started;
      writeSweep(dir, record);
      options.onEnd(entry);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.jobs) }, worker));
  return record;
}
