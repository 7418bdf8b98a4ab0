/**
 * Continues a run that stopped before its end (interrupted, cancelled, or failed after an epoch) from
 * its checkpoint: the same run folder, trained on to its configured epochs and then analysed as usual,
 * with the results of a run that never stopped.
 */
import * as fs from 'node:fs';
import { RunRecord } from '../../runs/schema';
import { CHECKPOINT_FILE, readCheckpoint } from '../../runs/checkpoints';
import { RunStore, interruptIfOrphaned, keepMetricsThrough, readRunRecord } from '../../runs/store';
import { withJobLock } from '../../runs/locks';
import { keepStepsThrough } from '../../runs/stepLog';
import { JobContext, logInfo } from './jobContext';
import { trainAutoencoderJob } from './trainAutoencoderJob';
import { trainDisNetJob } from './trainDisNetJob';

export async function resumeRun(runId: string, ctx: JobContext): Promise<RunRecord> {
  const dir = new RunStore(ctx.runsDir).dirOf(runId);
  if (!fs.existsSync(dir)) throw new Error(`There is no run ${runId} in ${ctx.runsDir}.`);
  // Under the job's lock, so that two processes resuming (or training) the same job take turns; the
  // second then finds the run completed or running and says so.
  const onWait = (holder: { pid: number; host: string }) => logInfo(ctx, `${runId}: waiting for process ${holder.pid} on ${holder.host}, which holds the same job`);
  return withJobLock(ctx.runsDir, readRunRecord(dir).job, { signal: ctx.signal, onWait }, () => resumeHeld(runId, dir, ctx));
}

async function resumeHeld(runId: string, dir: string, ctx: JobContext): Promise<RunRecord> {
  const record = interruptIfOrphaned(dir, readRunRecord(dir));
  const { job } = record;
  if (job.kind === 'q1Study') throw new Error(`Run ${runId} is a Q1 study, which has no training to resume: run the study again (it takes a fraction of a second).`);
  if (record.status === 'completed') throw new Error(`Run ${runId} is completed: there is nothing to resume.`);
  if (record.status === 'running') {
    const by = record.owner ? ` (process ${record.owner.pid} on ${record.owner.host})` : '';
    throw new Error(`Run ${runId} is still running${by}: cancel it, or wait for it to end, before resuming it.`);
  }
  const checkpoint = readCheckpoint(dir);
  if (!checkpoint) throw new Error(`Run ${runId} has no checkpoint (${CHECKPOINT_FILE}): it stopped before its first epoch ended, so there is nothing to continue from; train it again instead.`);
  if (checkpoint.epoch > job.config.epochs) throw new Error(`Run ${runId}'s checkpoint is after epoch ${checkpoint.epoch}, but the run trains ${job.config.epochs} epochs.`);
  const point = { dir, checkpoint, metrics: keepMetricsThrough(dir, checkpoint.epoch), elapsed: keepStepsThrough(dir, checkpoint.step) };
  return job.kind === 'trainAutoencoder' ? trainAutoencoderJob(job.config, ctx, point) : trainDisNetJob(job, ctx, point);
}
