/**
 * Runs one job to the end and keeps its run folder consistent: every outcome (completed, cancelled,
 * failed) is written to run.json before it is reported. Shared by the IPC engine and the CLI.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { AutoencoderConfig, DisNetConfig, JobSpec } from '../../shared/jobs/specs';
import { BackendInfo, BackendPreference } from '../../shared/backends';
import { BlurSamples, PixelBaseline, Q1Summary, ReconstructionSnapshots, RunRecord, RunSummary, TrainingSummary } from '../../runs/schema';
import { EngineEvent } from '../protocol';
import { Q1Params } from '../../shared/q1/params';
import { q1AnswerMarkdown } from '../../shared/q1/report';
import { runQ1Study } from '../../shared/q1/study';
import { BLUR_SAMPLES_FILE, BLUR_SAMPLES_PNG, Q1_ANSWER_FILE, Q1_STUDY_FILE, SNAPSHOTS_FILE, pixelBaselineFile, readPixelBaseline } from '../../runs/files';
import { RunStore, appendMetrics, finishRun, newRunId, readRunRecord, writeFileAtomic } from '../../runs/store';
import { initBackend } from '../backend';
import { AnalysisCancelled, analyseAutoencoder, gridIndices, pixelBaseline, toBytes } from '../analysis/analyseAutoencoder';
import { blurImages } from '../data/blur';
import { DEFAULT_BLUR } from '../data/gaussian';
import { IMAGE_SIZE, loadMnist, MnistSplit, Split } from '../data/mnist';
import { encodeGreyPng, imageGrid } from '../images/png';
import { buildDisNet, buildJudge, trainDisNet } from '../training/disNet';
import { runAutoencoder } from '../training/inference';
import { loadModel, saveModel } from '../training/modelFiles';
import { Adversary } from '../training/autoencoderSteps';
import { trainAutoencoder } from '../training/trainAutoencoder';
import { packageVersions } from '../versions';

export interface JobContext {
  jobId: string;
  runsDir: string;
  backend: BackendPreference;
  signal: AbortSignal;
  emit(event: EngineEvent): void;
}


const mnistCache = new Map<string, MnistSplit>();

/** The engine lives across jobs, so each split is read and checked once. */
export function mnist(split: Split, limit: number): MnistSplit {
  const key = `${split}:${limit}`;
  let data = mnistCache.get(key);
  if (!data) {
    data = loadMnist(split, undefined, limit);
    mnistCache.set(key, data);
  }
  return data;
}

/** Creates the run folder in state 'running' and announces it. */
function startRun(ctx: JobContext, job: JobSpec, tag: string, name: string, seed: number, backend?: BackendInfo): { id: string; dir: string } {
  const id = newRunId(tag);
  const dir = new RunStore(ctx.runsDir).create({
    schemaVersion: 3,
    id,
    name,
    job,
    seed,
    backend: backend?.chosen,
    engine: backend?.onnx && { provider: backend.onnx.provider, threads: backend.onnx.threads },
    versions: packageVersions(),
    status: 'running',
    createdAt: new Date().toISOString(),
  });
  ctx.emit({ type: 'jobStarted', jobId: ctx.jobId, runId: id, runDir: dir });
  return { id, dir };
}

/**
 * Runs a job's work inside its run folder: the outcome (completed or cancelled, with its summary) is
 * written to run.json and then reported; an error marks the run failed before it propagates.
 */
async function inRun(ctx: JobContext, run: { id: string; dir: string }, work: () => Promise<{ cancelled: boolean; summary: RunSummary }>): Promise<RunRecord> {
  try {
    const { cancelled, summary } = await work();
    const status = cancelled ? 'cancelled' : 'completed';
    const record = finishRun(run.dir, status, { summary });
    ctx.emit({ type: 'result', jobId: ctx.jobId, runId: run.id, status, summary });
    return record;
  } catch (err) {
    finishRun(run.dir, 'failed', { error: (err as Error).message });
    throw err;
  }
}

/** Per-batch progress events, for a training loop's onBatch hook. */
function progressOf(ctx: JobContext, epochs: number) {
  return (epoch: number, batch: number, batches: number, loss: number) => ctx.emit({ type: 'progress', jobId: ctx.jobId, epoch, epochs, batch, batches, loss });
}

/** Resolves with the finished run record; rejects (after marking the run failed) on errors. */
export async function runJob(job: JobSpec, ctx: JobContext): Promise<RunRecord> {
  switch (job.kind) {
    case 'trainAutoencoder':
      return trainAutoencoderJob(job.config, ctx);
    case 'q1Study':
      return q1StudyJob(job.params, ctx);
    case 'trainDisNet':
    case 'trainJudge':
      return trainDisNetJob(job, ctx);
  }
}

/** The raw-pixel K-means baseline, from the cache beside the runs or computed (slowly) once. */
async function cachedPixelBaseline(ctx: JobContext, test: MnistSplit, seed: number): Promise<PixelBaseline> {
  const file = pixelBaselineFile(ctx.runsDir, test.count, seed);
  const cached = readPixelBaseline(file);
  if (cached) return cached;
  ctx.emit({ type: 'log', level: 'info', jobId: ctx.jobId, message: `K-means on the raw pixels of ${test.count} test images (the baseline, computed once)` });
  const baseline = await pixelBaseline(test, seed, () => ctx.signal.aborted);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, JSON.stringify(baseline));
  return baseline;
}

/** Keeps the reconstructions of the 20 grid digits after every epoch, for the Reconstructions view. */
function snapshotWriter(dir: string, test: MnistSplit): (epoch: number, model: tfl.LayersModel) => Promise<void> {
  const indices = gridIndices(test.labels);
  const originals = new Float32Array(indices.length * IMAGE_SIZE);
  indices.forEach((i, k) => originals.set(test.images.subarray(i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE), k * IMAGE_SIZE));
  const snapshots: ReconstructionSnapshots = {
    indices,
    labels: indices.map((i) => test.labels[i]),
    originals: Buffer.from(toBytes(originals)).toString('base64'),
    epochs: [],
  };
  return async (epoch, model) => {
    const { images } = await runAutoencoder(model, originals, indices.length, { images: true });
    snapshots.epochs.push({ epoch, images: Buffer.from(toBytes(images!)).toString('base64') });
    writeFileAtomic(path.join(dir, SNAPSHOTS_FILE), JSON.stringify(snapshots));
  };
}

/** A run of the wanted kind, completed, in the same runs folder: named errors otherwise. */
function completedRun(runsDir: string, runId: string, kind: JobSpec['kind'], what: string): { dir: string; record: RunRecord } {
  const dir = new RunStore(runsDir).dirOf(runId);
  let record: RunRecord;
  try {
    record = readRunRecord(dir);
  } catch (err) {
    throw new Error(`The ${what} run ${runId} cannot be read: ${(err as Error).message}`);
  }
  if (record.job.kind !== kind) throw new Error(`Run ${runId} is not a ${what} run.`);
  if (record.status !== 'completed') throw new Error(`The ${what} run ${runId} is ${record.status}, not completed.`);
  return { dir, record };
}

/** Q2b: dis_net (frozen or trainable) and, if asked, the Q2a run to start from. */
async function loadAdversary(runsDir: string, config: AutoencoderConfig): Promise<{ init?: tfl.LayersModel; adversary: Adversary }> {
  const adv = config.adversarial!;
  const disNetRun = completedRun(runsDir, adv.disNetRunId, 'trainDisNet', 'dis_net');
  const disNet = await loadModel(disNetRun.dir);
  const blur = disNetRun.record.job.kind === 'trainDisNet' ? disNetRun.record.job.config.blur : DEFAULT_BLUR;
  let init: tfl.LayersModel | undefined;
  if (adv.initRunId) {
    const q2a = completedRun(runsDir, adv.initRunId, 'trainAutoencoder', 'Q2a autoencoder');
    const from = q2a.record.job.kind === 'trainAutoencoder' ? q2a.record.job.config : undefined;
    if (from?.latent !== config.latent || from.architecture !== config.architecture) {
      throw new Error(`Run ${adv.initRunId} is a ${from?.architecture} autoencoder with L=${from?.latent}; this run needs ${config.architecture} with L=${config.latent}.`);
    }
    init = await loadModel(q2a.dir);
  }
  const updates = adv.mode === 'alternating' ? { learningRate: adv.disNetLearningRate!, clearLabel: adv.clearLabel! } : undefined;
  return { init, adversary: { disNet, lambda: adv.lambda, blur, updates } };
}

async function trainAutoencoderJob(config: AutoencoderConfig, ctx: JobContext): Promise<RunRecord> {
  const backend = await initBackend(ctx.backend);
  ctx.emit({ type: 'log', level: 'info', jobId: ctx.jobId, message: `Loading MNIST (${config.trainImages} train, ${config.testImages} test images)` });
  const train = mnist('train', config.trainImages);
  const test = mnist('test', config.testImages);
  const job: JobSpec = { kind: 'trainAutoencoder', config };
  const adv = config.adversarial;
  const start: { init?: tfl.LayersModel; adversary?: Adversary } = adv ? await loadAdversary(ctx.runsDir, config) : {};
  const name = adv ? `Sharpened L=${config.latent} (${adv.mode}, λ=${adv.lambda}${adv.initRunId ? ', from Q2a' : ''})` : `Autoencoder L=${config.latent}`;
  const run = startRun(ctx, job, `ae${config.latent}${adv ? 'b' : ''}`, name, config.seed, backend);
  const snapshot = snapshotWriter(run.dir, test);
  return inRun(ctx, run, async () => {
    const result = await trainAutoencoder(config, train, test, {
      signal: ctx.signal,
      onBatch: progressOf(ctx, config.epochs),
      onWarning: (message) => ctx.emit({ type: 'log', level: 'warn', message, jobId: ctx.jobId }),
      onEpoch: async (metrics, model) => {
        appendMetrics(run.dir, metrics);
        await snapshot(metrics.epoch, model);
        ctx.emit({ type: 'epoch', jobId: ctx.jobId, runId: run.id, metrics });
      },
    }, start);
    try {
      await saveModel(result.model, run.dir);
      if (result.cancelled) return result;
      const baseline = await cachedPixelBaseline(ctx, test, config.seed);
      ctx.emit({ type: 'log', level: 'info', jobId: ctx.jobId, message: `Analysing L=${config.latent}: latents, K-means (5 restarts)${!adv && config.latent > 2 ? ', K-means on a 2-D UMAP' : ''}, projection, reconstructions` });
      // Scored by the dis_net as saved, even when this run updated its own copy (alternating).
      const disNet = adv ? await loadModel(path.join(ctx.runsDir, adv.disNetRunId)) : undefined;
      try {
        const analysis = await analyseAutoencoder({ model: result.model, latent: config.latent, seed: config.seed, train, test, dir: run.dir, baseline, signal: ctx.signal, disNet, umap: !adv });
        const summary: TrainingSummary = { ...result.summary, sharpnessRatio: analysis.sharpness.ratio, kmeansAccuracy: analysis.kmeans.accuracy, kmeansNmi: analysis.kmeans.nmi, disNetClearScore: analysis.disNetClearScore };
        return { cancelled: false, summary };
      } finally {
        disNet?.dispose();
      }
    } catch (err) {
      if (err instanceof AnalysisCancelled) return { cancelled: true, summary: result.summary };
      throw err;
    } finally {
      result.model.dispose();
      start.adversary?.disNet.dispose();
    }
  });
}

/** The grid digits clear and blurred, as JSON for the panel and as a PNG (clear row above blurred). */
async function writeBlurSamples(dir: string, test: MnistSplit, config: DisNetConfig): Promise<void> {
  const indices = gridIndices(test.labels);
  const clear = new Float32Array(indices.length * IMAGE_SIZE);
  indices.forEach((i, k) => clear.set(test.images.subarray(i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE), k * IMAGE_SIZE));
  const blurredTensor = tf.tidy(() => blurImages(tf.tensor2d(clear, [indices.length, IMAGE_SIZE]), config.blur));
  const blurred = Float32Array.from(await blurredTensor.data());
  blurredTensor.dispose();
  const [clearBytes, blurredBytes] = [toBytes(clear), toBytes(blurred)];
  const samples: BlurSamples = {
    indices,
    labels: indices.map((i) => test.labels[i]),
    clear: Buffer.from(clearBytes).toString('base64'),
    blurred: Buffer.from(blurredBytes).toString('base64'),
  };
  writeFileAtomic(path.join(dir, BLUR_SAMPLES_FILE), JSON.stringify(samples));
  const at = (bytes: Uint8Array) => indices.map((_, k) => bytes.subarray(k * IMAGE_SIZE, (k + 1) * IMAGE_SIZE));
  const grid = imageGrid([at(clearBytes), at(blurredBytes)]);
  writeFileAtomic(path.join(dir, BLUR_SAMPLES_PNG), encodeGreyPng(grid.pixels, grid.width, grid.height));
}

/** dis_net or the judge: the same training on clear against blurred, with their own architectures. */
async function trainDisNetJob(job: Extract<JobSpec, { kind: 'trainDisNet' | 'trainJudge' }>, ctx: JobContext): Promise<RunRecord> {
  const { config } = job;
  const backend = await initBackend(ctx.backend);
  const train = mnist('train', config.trainImages);
  const test = mnist('test', config.testImages);
  const judge = job.kind === 'trainJudge';
  const run = startRun(ctx, job, judge ? 'judge' : 'disnet', `${judge ? 'judge' : 'dis_net'} σ=${config.blur.sigma}`, config.seed, backend);
  return inRun(ctx, run, async () => {
    await writeBlurSamples(run.dir, test, config);
    const result = await trainDisNet(config, train, test, {
      signal: ctx.signal,
      onBatch: progressOf(ctx, config.epochs),
      onEpoch: (metrics) => {
        appendMetrics(run.dir, metrics);
        ctx.emit({ type: 'epoch', jobId: ctx.jobId, runId: run.id, metrics });
      },
    }, judge ? buildJudge : buildDisNet);
    try {
      await saveModel(result.model, run.dir);
      return result;
    } finally {
      result.model.dispose();
    }
  });
}

/** Plain float64 and a fraction of a second: no backend, nothing to cancel midway. */
async function q1StudyJob(params: Q1Params, ctx: JobContext): Promise<RunRecord> {
  const job: JobSpec = { kind: 'q1Study', params };
  const run = startRun(ctx, job, 'q1', `Q1 study h=${params.landscape.h}, a=${params.optimizers.lr}`, 0);
  return inRun(ctx, run, async () => {
    const study = runQ1Study(params);
    writeFileAtomic(path.join(run.dir, Q1_STUDY_FILE), JSON.stringify(study));
    writeFileAtomic(path.join(run.dir, Q1_ANSWER_FILE), q1AnswerMarkdown(study));
    const summary: Q1Summary = {
      kind: 'q1',
      gdEscaped: study.runs.gd.escaped,
      adamEscaped: study.runs.adam.escaped,
      gdMaxEscapeHeight: study.maxEscape.gd.h,
      adamMaxEscapeHeight: study.maxEscape.adam.h,
    };
    return { cancelled: false, summary };
  });
}
