/**
 * A finished run of a job: reused when one with exactly this specification exists (and reuse is on),
 * else trained. Under the job's lock, so that two processes on one runs folder (VS Code's engine and a
 * terminal, or two cluster tasks) never train the same job side by side: the second waits, then reuses.
 */
import * as path from 'node:path';
import { JobSpec } from '../../shared/jobs/specs';
import { readAnalysis } from '../../runs/files';
import { withJobLock } from '../../runs/locks';
import { RunListItem } from '../../runs/schema';
import { RunStore, findCompletedIn } from '../../runs/store';
import { JobContext } from './jobContext';
import { runJob } from './runJob';

export interface Obtained {
  dir: string;
  runId: string;
  reused: boolean;
}

/** Autoencoders count as finished only once analysed; the other kinds once completed. */
const usable = (spec: JobSpec) => (dir: string) => spec.kind !== 'trainAutoencoder' || readAnalysis(dir) !== undefined;

/** The newest reusable run of this job among the listed runs, if any. */
export function findReusable(items: RunListItem[], spec: JobSpec): string | undefined {
  return findCompletedIn(items, spec, usable(spec))?.dir;
}

export async function obtainRun(spec: JobSpec, reuse: boolean, label: string, ctx: JobContext): Promise<Obtained> {
  const train = async (): Promise<Obtained> => {
    const record = await runJob(spec, ctx);
    return { dir: path.join(ctx.runsDir, record.id), runId: record.id, reused: false };
  };
  if (!reuse) return train();
  const log = (message: string) => ctx.emit({ type: 'log', level: 'info', jobId: ctx.jobId, message });
  const hooks = { signal: ctx.signal, onWait: (holder: { host: string; pid: number }) => log(`${label}: waiting for process ${holder.pid} on ${holder.host}, which is training the same job`) };
  return withJobLock(ctx.runsDir, spec, hooks, async () => {
    const found = findReusable(new RunStore(ctx.runsDir).list(), spec);
    if (!found) return train();
    log(`${label}: reusing ${found}`);
    return { dir: found, runId: path.basename(found), reused: true };
  });
}
