/**
 * An autoencoder's run (Q2a, or Q2b's (b) with dis_net): training with a snapshot and a checkpoint
 * after every epoch, the saved model, then the analysis. Started fresh, or resumed from a checkpoint.
 */
import * as path from 'node:path';
import * as tfl from '@tensorflow/tfjs-layers';
import { AutoencoderConfig, JobSpec } from '../../shared/jobs/specs';
import { RunRecord, TrainingSummary, isAutoencoderEpoch } from '../../runs/schema';
import { writeCheckpoint } from '../../runs/checkpoints';
import { RunStore, appendMetrics, readRunRecord } from '../../runs/store';
import { StepLog } from '../../runs/stepLog';
import { initBackend } from '../backend';
import { AnalysisCancelled, analyseAutoencoder } from '../analysis/analyseAutoencoder';
import { DEFAULT_BLUR } from '../../shared/experiment/defaults';
import { mnist } from '../data/mnistCache';
import { loadModel, saveModel } from '../training/modelFiles';
import { Adversary } from '../training/autoencoderSteps';
import { TrainStart, trainAutoencoder } from '../training/trainAutoencoder';
import { cachedPixelBaseline, snapshotWriter } from './artefacts';
import { JobContext, logInfo, progressOf } from './jobContext';
import { ResumePoint, inRun, reopenRun, startRun } from './runLifecycle';

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

/**
 * Q2b: dis_net (frozen or trainable) and, if asked and `withInit`, the Q2a run to start from (a
 * resumed run's weights come from its checkpoint instead).
 */
async function loadAdversary(runsDir: string, config: AutoencoderConfig, withInit: boolean): Promise<{ init?: tfl.LayersModel; adversary: Adversary }> {
  const adv = config.adversarial!;
  const disNetRun = completedRun(runsDir, adv.disNetRunId, 'trainDisNet', 'dis_net');
  const disNet = await loadModel(disNetRun.dir);
  const blur = disNetRun.record.job.kind === 'trainDisNet' ? disNetRun.record.job.config.blur : DEFAULT_BLUR;
  let init: tfl.LayersModel | undefined;
  if (adv.initRunId && withInit) {
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

export async function trainAutoencoderJob(config: AutoencoderConfig, ctx: JobContext, resume?: ResumePoint): Promise<RunRecord> {
  const backend = await initBackend(ctx.backend);
  logInfo(ctx, `Loading MNIST (${config.trainImages} train, ${config.testImages} test images)`);
  const train = mnist('train', config.trainImages);
  const test = mnist('test', config.testImages);
  const job: JobSpec = { kind: 'trainAutoencoder', config };
  const adv = config.adversarial;
  const start: TrainStart = {
    ...(adv ? await loadAdversary(ctx.runsDir, config, !resume) : {}),
    resume: resume && { checkpoint: resume.checkpoint, history: resume.metrics.filter(isAutoencoderEpoch) },
  };
  const name = adv ? `Sharpened L=${config.latent} (${adv.mode}, λ=${adv.lambda}${adv.initRunId ? ', from Q2a' : ''})` : `Autoencoder L=${config.latent}`;
  const run = resume ? reopenRun(ctx, resume.dir, backend) : startRun(ctx, job, `ae${config.latent}${adv ? 'b' : ''}`, name, config.seed, backend);
  return inRun(ctx, run, async () => {
    const snapshot = snapshotWriter(run.dir, test, resume?.checkpoint.epoch);
    const steps = new StepLog(run.dir, resume?.elapsed);
    const result = await trainAutoencoder(config, train, test, {
      signal: ctx.signal,
      onBatch: progressOf(ctx, config.epochs),
      onStep: (step) => steps.add(step),
      onWarning: (message) => ctx.emit({ type: 'log', level: 'warn', message, jobId: ctx.jobId }),
      onEpoch: async (metrics, model) => {
        steps.flush();
        appendMetrics(run.dir, metrics);
        await snapshot(metrics.epoch, model);
        ctx.emit({ type: 'epoch', jobId: ctx.jobId, runId: run.id, metrics });
      },
      // After the epoch's metrics and snapshot, so that a checkpoint never runs ahead of them.
      onCheckpoint: (checkpoint) => writeCheckpoint(run.dir, checkpoint),
    }, start).finally(() => steps.flush());
    try {
      await saveModel(result.model, run.dir);
      if (result.cancelled) return result;
      const baseline = await cachedPixelBaseline(ctx, test, config.seed);
      logInfo(ctx, `Analysing L=${config.latent}: latents, K-means (5 restarts)${!adv && config.latent > 2 ? ', K-means on a 2-D UMAP' : ''}, projection, reconstructions`);
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
