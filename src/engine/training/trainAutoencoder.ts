/**
 * Autoencoder training with L1 (mean absolute error) loss and Adam, as a custom loop: it yields to the
 * event loop before every call of the stepper (at most four batches on ONNX Runtime, one on tfjs), so a
 * cancel request is seen within that many batches.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { AutoencoderConfig } from '../../shared/jobs/specs';
import { AutoencoderEpoch, AutoencoderStep, TrainingSummary } from '../../runs/schema';
import { TrainingCheckpoint } from '../../runs/checkpoints';
import { collapseReason } from '../../shared/q2a/collapse';
import { IMAGE_SIZE, MnistSplit } from '../data/mnist';
import { createRng, shuffledIndices } from '../random';
import { buildDenseAutoencoder, startAtMeanImage } from './autoencoderModel';
import { Adversary, autoencoderStepper } from './autoencoderSteps';
import { constantBaselines, evaluateReconstructions } from './evaluation';
import { buildConvAutoencoder } from './convAutoencoder';
import { yieldToEventLoop } from '../eventLoop';

export interface TrainHooks {
  signal: AbortSignal;
  onBatch(epoch: number, batch: number, batches: number, loss: number): void;
  /** Every batch, with its global step and the loss's parts (for the step log). */
  onStep?(step: Omit<AutoencoderStep, 'seconds'>): void;
  /** After each epoch's evaluation; training waits for it (e.g. to snapshot reconstructions). */
  onEpoch(metrics: AutoencoderEpoch, model: tfl.LayersModel): void | Promise<void>;
  /** After onEpoch: what continuing from the end of this epoch needs (see resume below). */
  onCheckpoint?(checkpoint: TrainingCheckpoint): void | Promise<void>;
  /** Something the user should know that does not stop training. */
  onWarning?(message: string): void;
}

/** Copies the images at `indices` into `buffer` from row `at` on. */
function gatherBatch(data: MnistSplit, indices: ArrayLike<number>, buffer: Float32Array, at: number): void {
  for (let i = 0; i < indices.length; i++) {
    const from = indices[i] * IMAGE_SIZE;
    buffer.set(data.images.subarray(from, from + IMAGE_SIZE), (at + i) * IMAGE_SIZE);
  }
}

export interface TrainResult {
  model: tfl.LayersModel;
  summary: TrainingSummary;
  cancelled: boolean;
}

export interface TrainStart {
  /** Weights to start from (Q2b's (b) continues its (a)). */
  init?: tfl.LayersModel;
  adversary?: Adversary;
  /**
   * Continue after a checkpoint's epoch, with the metrics of the epochs up to it: the networks, the
   * step count and the data order carry on where they were, so the result is that of a run that never
   * stopped.
   */
  resume?: { checkpoint: TrainingCheckpoint; history: AutoencoderEpoch[] };
}

function newAutoencoder(config: AutoencoderConfig, train: MnistSplit): tfl.LayersModel {
  const model = config.architecture === 'conv' ? buildConvAutoencoder(config.latent, config.seed) : buildDenseAutoencoder(config.latent, config.seed);
  if (config.outputInit === 'meanImage') startAtMeanImage(model, train);
  return model;
}

export async function trainAutoencoder(config: AutoencoderConfig, train: MnistSplit, test: MnistSplit, hooks: TrainHooks, start: TrainStart = {}): Promise<TrainResult> {
  const { adversary, resume } = start;
  const model = start.init ?? newAutoencoder(config, train);
  const stepper = autoencoderStepper(model, adversary);
  let step = resume?.checkpoint.step ?? 0;
  const rng = createRng(resume?.checkpoint.rng ?? config.seed);
  const batches = Math.ceil(train.count / config.batchSize);
  const buffer = new Float32Array(stepper.steps * config.batchSize * IMAGE_SIZE);
  const rowsOf = (b: number) => Math.min(config.batchSize, train.count - b * config.batchSize);
  const history: AutoencoderEpoch[] = [...(resume?.history ?? [])];
  const baselines = constantBaselines(test);
  try {
    if (resume) await stepper.importState(resume.checkpoint);
    for (let epoch = (resume?.checkpoint.epoch ?? 0) + 1; epoch <= config.epochs; epoch++) {
      const started = performance.now();
      const order = shuffledIndices(train.count, rng);
      let lossSum = 0;
      let adversarialSum = 0;
      for (let b = 0; b < batches; ) {
        // A turn of the event loop first: a cancel that came in meanwhile (or while MNIST loaded) is seen.
        await yieldToEventLoop();
        if (hooks.signal.aborted) {
          stepper.sync();
          return { model, summary: summarise(history), cancelled: true };
        }
        // As many batches as one call takes, all of this one's size (the last batch may be smaller).
        const rows = rowsOf(b);
        let count = 1;
        while (count < stepper.steps && b + count < batches && rowsOf(b + count) === rows) count++;
        const learningRates: number[] = [];
        for (let k = 0; k < count; k++) {
          gatherBatch(train, order.subarray((b + k) * config.batchSize, (b + k) * config.batchSize + rows), buffer, k * rows);
          step++;
          // The rate ramps up over the warm-up, so that the first steps cannot throw the model onto the
          // per-pixel median image (collapse).
          learningRates.push(config.warmupSteps > 0 ? config.learningRate * Math.min(1, step / config.warmupSteps) : config.learningRate);
        }
        const results = await stepper.step(buffer, rows, learningRates);
        for (const [k, { loss, adversarial }] of results.entries()) {
          if (!Number.isFinite(loss)) throw new Error(`Training diverged: the loss became ${loss} in epoch ${epoch}, batch ${b + k + 1}. Lower the learning rate.`);
          lossSum += loss * rows;
          adversarialSum += (adversarial ?? 0) * rows;
          hooks.onBatch(epoch, b + k + 1, batches, loss);
          const l1 = loss - (adversary ? adversary.lambda * (adversarial ?? 0) : 0);
          hooks.onStep?.({ step: step - count + 1 + k, epoch, batch: b + k + 1, l1, ...(adversarial === undefined ? {} : { adversarial }) });
        }
        b += count;
      }
      stepper.sync();
      const evaluation = await evaluateReconstructions(model, test);
      // The logged loss includes the adversarial term; L1 and that term are reported apart.
      const trainAdversarial = adversary ? adversarialSum / train.count : undefined;
      const trainL1 = lossSum / train.count - (adversary ? adversary.lambda * trainAdversarial! : 0);
      const outputSpread = evaluation.spread / baselines.spread;
      const collapse = collapseReason({ testL1: evaluation.l1, outputSpread, constantL1: baselines.constantL1 });
      if (collapse) hooks.onWarning?.(`Epoch ${epoch}: ${collapse}.`);
      const metrics: AutoencoderEpoch = { epoch, trainL1, testL1: evaluation.l1, trainAdversarial, outputSpread, collapse, seconds: (performance.now() - started) / 1000 };
      history.push(metrics);
      await hooks.onEpoch(metrics, model);
      if (hooks.onCheckpoint) await hooks.onCheckpoint({ epoch, step, rng: rng.state(), networks: await stepper.exportState() });
    }
    return { model, summary: summarise(history), cancelled: false };
  } finally {
    stepper.dispose();
  }
}

function summarise(history: AutoencoderEpoch[]): TrainingSummary {
  const last = history.at(-1);
  return {
    kind: 'training',
    epochsCompleted: history.length,
    finalTrainL1: last?.trainL1,
    finalTestL1: last?.testL1,
    secondsPerEpoch: history.length ? history.reduce((s, m) => s + m.seconds, 0) / history.length : undefined,
    collapse: last?.collapse,
  };
}
