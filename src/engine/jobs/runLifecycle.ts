/**
 * A run folder from start to outcome: created (or taken up again to resume) in state 'running' and
 * owned by this process, its heartbeat kept while the work goes on, and every outcome (completed,
 * cancelled, failed) written to run.json before it is reported. Only a run that did not complete keeps
 * its checkpoint.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BackendInfo } from '../../shared/backends';
import { JobSpec } from '../../shared/jobs/specs';
import { EpochMetrics, Owner, RunRecord, RunSummary } from '../../runs/schema';
import { TrainingCheckpoint, removeCheckpoint } from '../../runs/checkpoints';
import { currentOwner, keepAlive } from '../../runs/owner';
import { HEARTBEAT_FILE, RunStore, finishRun, newRunId, readRunRecord, writeRunRecord } from '../../runs/store';
import { packageVersions } from '../versions';
import { JobContext } from './jobContext';

export interface ActiveRun {
  id: string;
  dir: string;
  owner: Owner;
}

/**
 * Where a resumed run continues: its folder, its checkpoint, its metrics up to the checkpoint, and the
 * seconds of training its step log holds up to it.
 */
export interface ResumePoint {
  dir: string;
  checkpoint: TrainingCheckpoint;
  metrics: EpochMetrics[];
  elapsed: number;
}

/** Creates the run folder in state 'running', owned by this process, and announces it. */
export function startRun(ctx: JobContext, job: JobSpec, tag: string, name: string, seed: number, backend?: BackendInfo): ActiveRun {
  const id = newRunId(tag);
  const owner = currentOwner();
  const dir = new RunStore(ctx.runsDir).create({
    schemaVersion: 4,
    id,
    name,
    job,
    seed,
    backend: backend?.chosen,
    engine: backend?.onnx && { provider: backend.onnx.provider, threads: backend.onnx.threads },
    versions: packageVersions(),
    status: 'running',
    owner,
    createdAt: owner.startedAt,
  });
  return announce(ctx, { id, dir, owner });
}

/**
 * Takes an ended run up again: 'running', owned by this process, its outcome and error cleared. A run
 * that continues on another engine than it started on trains on, but its numbers may then differ in
 * the last bits from a run that never stopped: that is said in the log.
 */
export function reopenRun(ctx: JobContext, dir: string, backend?: BackendInfo): ActiveRun {
  const record = readRunRecord(dir);
  if (record.status === 'running') throw new Error(`Run ${record.id} is already running again.`);
  const engine = backend?.onnx && { provider: backend.onnx.provider, threads: backend.onnx.threads };
  const was = [record.backend, record.engine?.provider, record.engine?.threads];
  const now = [backend?.chosen, engine?.provider, engine?.threads];
  if (was.some((v, i) => v !== now[i])) {
    const describe = (v: unknown[]) => v.filter((x) => x !== undefined).join(' ') || 'no backend';
    ctx.emit({ type: 'log', level: 'warn', jobId: ctx.jobId, message: `Run ${record.id} was trained on ${describe(was)} and continues on ${describe(now)}: its results can differ slightly from a run that never stopped.` });
  }
  const owner = currentOwner();
  writeRunRecord(dir, { ...record, status: 'running', owner, endedAt: undefined, error: undefined, summary: undefined });
  return announce(ctx, { id: record.id, dir, owner });
}

/** The heartbeat exists from the start, so a reader on another host never finds a running run without one. */
function announce(ctx: JobContext, run: ActiveRun): ActiveRun {
  fs.writeFileSync(path.join(run.dir, HEARTBEAT_FILE), '');
  ctx.emit({ type: 'jobStarted', jobId: ctx.jobId, runId: run.id, runDir: run.dir });
  return run;
}

/**
 * Runs a job's work inside its run folder, with its heartbeat: the outcome (completed or cancelled,
 * with its summary) is written to run.json and then reported; an error marks the run failed before it
 * propagates.
 */
export async function inRun(ctx: JobContext, run: ActiveRun, work: () => Promise<{ cancelled: boolean; summary: RunSummary }>): Promise<RunRecord> {
  const heartbeat = keepAlive(path.join(run.dir, HEARTBEAT_FILE));
  try {
    const { cancelled, summary } = await work();
    const status = cancelled ? 'cancelled' : 'completed';
    const record = finishRun(run.dir, status, { summary }, run.owner);
    if (record.status === 'completed') removeCheckpoint(run.dir);
    ctx.emit({ type: 'result', jobId: ctx.jobId, runId: run.id, status, summary });
    return record;
  } catch (err) {
    finishRun(run.dir, 'failed', { error: (err as Error).message }, run.owner);
    throw err;
  } finally {
    heartbeat.stop();
  }
}
