/**
 * Runs one job to the end and keeps its run folder consistent: every outcome (completed, cancelled,
 * failed) is written to run.json before it is reported. Shared by the IPC engine and the CLI.
 */
import * as path from 'node:path';
import { AutoencoderConfig, BackendName, BackendPreference, EngineEvent, JobSpec, Q1Params, Q1Summary, RunRecord } from '../../shared/protocol';
import { runQ1Study } from '../../shared/q1/study';
import { RunStore, appendMetrics, finishRun, newRunId, writeFileAtomic } from '../../runs/store';
import { initBackend } from '../backend';
import { loadMnist, MnistSplit, Split } from '../data/mnist';
import { q1AnswerMarkdown } from '../../shared/q1/report';
import { saveModel } from '../training/modelFiles';
import { trainAutoencoder } from '../training/trainAutoencoder';
import { packageVersions } from '../versions';

export interface JobContext {
  jobId: string;
  runsDir: string;
  backend: BackendPreference;
  signal: AbortSignal;
  emit(event: EngineEvent): void;
}

export const Q1_STUDY_FILE = 'study.json';
export const Q1_ANSWER_FILE = 'answer.md';

const mnistCache = new Map<string, MnistSplit>();

/** The engine lives across jobs, so each split is read and checked once. */
function mnist(split: Split, limit: number): MnistSplit {
  const key = `${split}:${limit}`;
  let data = mnistCache.get(key);
  if (!data) {
    data = loadMnist(split, undefined, limit);
    mnistCache.set(key, data);
  }
  return data;
}

/** Creates the run folder in state 'running' and announces it. */
function startRun(ctx: JobContext, job: JobSpec, tag: string, name: string, seed: number, backend?: BackendName): { id: string; dir: string } {
  const id = newRunId(tag);
  const dir = new RunStore(ctx.runsDir).create({
    schemaVersion: 1,
    id,
    name,
    job,
    seed,
    backend,
    versions: packageVersions(),
    status: 'running',
    createdAt: new Date().toISOString(),
  });
  ctx.emit({ type: 'jobStarted', jobId: ctx.jobId, runId: id, runDir: dir });
  return { id, dir };
}

/** Resolves with the finished run record; rejects (after marking the run failed) on errors. */
export async function runJob(job: JobSpec, ctx: JobContext): Promise<RunRecord> {
  switch (job.kind) {
    case 'trainAutoencoder':
      return trainAutoencoderJob(job.config, ctx);
    case 'q1Study':
      return q1StudyJob(job.params, ctx);
  }
}

async function trainAutoencoderJob(config: AutoencoderConfig, ctx: JobContext): Promise<RunRecord> {
  const backend = await initBackend(ctx.backend);
  ctx.emit({ type: 'log', level: 'info', jobId: ctx.jobId, message: `Loading MNIST (${config.trainImages} train, ${config.testImages} test images)` });
  const train = mnist('train', config.trainImages);
  const test = mnist('test', config.testImages);
  const job: JobSpec = { kind: 'trainAutoencoder', config };
  const { id, dir } = startRun(ctx, job, `ae${config.latent}`, `Autoencoder L=${config.latent}`, config.seed, backend.chosen);
  try {
    const result = await trainAutoencoder(config, train, test, {
      signal: ctx.signal,
      onBatch: (epoch, batch, batches, loss) =>
        ctx.emit({ type: 'progress', jobId: ctx.jobId, epoch, epochs: config.epochs, batch, batches, loss }),
      onEpoch: (metrics) => {
        appendMetrics(dir, metrics);
        ctx.emit({ type: 'epoch', jobId: ctx.jobId, runId: id, metrics });
      },
    });
    await saveModel(result.model, dir);
    result.model.dispose();
    const status = result.cancelled ? 'cancelled' : 'completed';
    const record = finishRun(dir, status, { summary: result.summary });
    ctx.emit({ type: 'result', jobId: ctx.jobId, runId: id, status, summary: result.summary });
    return record;
  } catch (err) {
    finishRun(dir, 'failed', { error: (err as Error).message });
    throw err;
  }
}

/** Plain float64 and a fraction of a second: no backend, nothing to cancel midway. */
async function q1StudyJob(params: Q1Params, ctx: JobContext): Promise<RunRecord> {
  const job: JobSpec = { kind: 'q1Study', params };
  const { id, dir } = startRun(ctx, job, 'q1', `Q1 study h=${params.landscape.h}, a=${params.optimizers.lr}`, 0);
  try {
    const study = runQ1Study(params);
    writeFileAtomic(path.join(dir, Q1_STUDY_FILE), JSON.stringify(study));
    writeFileAtomic(path.join(dir, Q1_ANSWER_FILE), q1AnswerMarkdown(study));
    const summary: Q1Summary = {
      kind: 'q1',
      gdEscaped: study.runs.gd.escaped,
      adamEscaped: study.runs.adam.escaped,
      gdMaxEscapeHeight: study.maxEscape.gd.h,
      adamMaxEscapeHeight: study.maxEscape.adam.h,
    };
    const record = finishRun(dir, 'completed', { summary });
    ctx.emit({ type: 'result', jobId: ctx.jobId, runId: id, status: 'completed', summary });
    return record;
  } catch (err) {
    finishRun(dir, 'failed', { error: (err as Error).message });
    throw err;
  }
}
