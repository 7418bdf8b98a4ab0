/**
 * Runs one job to the end and keeps its run folder consistent: every outcome (completed, cancelled,
 * failed) is written to run.json before it is reported. Shared by the IPC engine and the CLI.
 */
import { BackendPreference, EngineEvent, JobSpec, RunRecord } from '../../shared/protocol';
import { RunStore, appendMetrics, finishRun, newRunId } from '../../runs/store';
import { initBackend } from '../backend';
import { loadMnist, MnistSplit, Split } from '../data/mnist';
import { saveModel } from '../training/modelFiles';
import { trainAutoencoder } from '../training/trainAutoencoder';

export interface JobContext {
  jobId: string;
  runsDir: string;
  backend: BackendPreference;
  signal: AbortSignal;
  emit(event: EngineEvent): void;
}

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

/** Resolves with the finished run record; rejects (after marking the run failed) on errors. */
export async function runJob(job: JobSpec, ctx: JobContext): Promise<RunRecord> {
  const { config } = job;
  const backend = await initBackend(ctx.backend);
  ctx.emit({ type: 'log', level: 'info', jobId: ctx.jobId, message: `Loading MNIST (${config.trainImages} train, ${config.testImages} test images)` });
  const train = mnist('train', config.trainImages);
  const test = mnist('test', config.testImages);

  const id = newRunId(`ae${config.latent}`);
  const dir = new RunStore(ctx.runsDir).create({
    schemaVersion: 1,
    id,
    name: `Autoencoder L=${config.latent}`,
    job,
    seed: config.seed,
    backend: backend.chosen,
    versions: backend.versions,
    status: 'running',
    createdAt: new Date().toISOString(),
  });
  ctx.emit({ type: 'jobStarted', jobId: ctx.jobId, runId: id, runDir: dir });

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
