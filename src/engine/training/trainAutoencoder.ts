/**
 * Autoencoder training with L1 (mean absolute error) loss and Adam, as a custom loop: it yields to the
 * event loop after every batch, so a cancel request is seen within one batch.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { AutoencoderConfig, AutoencoderEpoch, BlurConfig, TrainingSummary } from '../../shared/protocol';
import { collapseReason } from '../../shared/q2a/collapse';
import { blurImages } from '../data/blur';
import { IMAGE_SIZE, MnistSplit } from '../data/mnist';
import { createRng, shuffledIndices } from '../random';
import { buildDenseAutoencoder, reconstruct, startAtMeanImage } from './autoencoderModel';
import { constantBaselines, evaluateReconstructions } from './evaluation';
import { buildConvAutoencoder } from './convAutoencoder';
import { DataParallelTrainer, dataParallelAvailable } from './parallel/dataParallel';
import { variablesOf } from './parallel/replica';

export interface TrainHooks {
  signal: AbortSignal;
  onBatch(epoch: number, batch: number, batches: number, loss: number): void;
  /** After each epoch's evaluation; training waits for it (e.g. to snapshot reconstructions). */
  onEpoch(metrics: AutoencoderEpoch, model: tfl.LayersModel): void | Promise<void>;
  /** Something the user should know that does not stop training. */
  onWarning?(message: string): void;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function l1Loss(reconstruction: tf.Tensor, target: tf.Tensor): tf.Scalar {
  return tf.mean(tf.abs(tf.sub(reconstruction, target)));
}

/** Copies the images at `indices` into the first rows of `buffer`. */
function gatherBatch(data: MnistSplit, indices: ArrayLike<number>, buffer: Float32Array): void {
  for (let i = 0; i < indices.length; i++) {
    const from = indices[i] * IMAGE_SIZE;
    buffer.set(data.images.subarray(from, from + IMAGE_SIZE), i * IMAGE_SIZE);
  }
}

export interface TrainResult {
  model: tfl.LayersModel;
  summary: TrainingSummary;
  cancelled: boolean;
}

/**
 * Q2b: the dis_net whose "clear" score the reconstructions are pushed towards, and, when it keeps
 * learning (alternating), how it is updated.
 */
export interface Adversary {
  disNet: tfl.LayersModel;
  lambda: number;
  blur: BlurConfig;
  updates?: { learningRate: number; clearLabel: number };
}

export interface TrainStart {
  /** Weights to start from (Q2b's (b) continues its (a)). */
  init?: tfl.LayersModel;
  adversary?: Adversary;
  /** 1 forces single-threaded training; by default L1 training of the dense model uses two threads on wasm. */
  threads?: 1 | 2;
}

function newAutoencoder(config: AutoencoderConfig, train: MnistSplit): tfl.LayersModel {
  const model = config.architecture === 'conv' ? buildConvAutoencoder(config.latent, config.seed) : buildDenseAutoencoder(config.latent, config.seed);
  if (config.outputInit === 'meanImage') startAtMeanImage(model, train);
  return model;
}

export async function trainAutoencoder(config: AutoencoderConfig, train: MnistSplit, test: MnistSplit, hooks: TrainHooks, start: TrainStart = {}): Promise<TrainResult> {
  const model = start.init ?? newAutoencoder(config, train);
  const adversary = start.adversary;
  const modelVariables = variablesOf(model);
  const disNetVariables = adversary ? variablesOf(adversary.disNet) : [];
  const disNetOptimizer = adversary?.updates && tf.train.adam(adversary.updates.learningRate);
  const optimizer = tf.train.adam(config.learningRate);
  // The rate ramps up over the warm-up, so that the first steps cannot throw the model onto the
  // per-pixel median image (collapse); tfjs reads the rate from this field at every step.
  const rated = optimizer as unknown as { learningRate: number };
  let step = 0;
  const rng = createRng(config.seed);
  const batches = Math.ceil(train.count / config.batchSize);
  const buffer = new Float32Array(config.batchSize * IMAGE_SIZE);
  const history: AutoencoderEpoch[] = [];
  const baselines = constantBaselines(test);
  let adversarialSum = 0;
  /** One step of tfjs's own Adam on this thread, with the dis_net term when there is an adversary. */
  const singleThreadStep = async (rows: number): Promise<number> => {
    const x = tf.tensor2d(buffer.subarray(0, rows * IMAGE_SIZE), [rows, IMAGE_SIZE]);
    let adversarial: tf.Scalar | undefined;
    const loss = optimizer.minimize(
      () => {
        const recon = reconstruct(model, x, true);
        const l1 = l1Loss(recon, x);
        if (!adversary) return l1;
        // Push dis_net's score of the reconstruction towards "clear" (label 1).
        const logits = adversary.disNet.apply(recon) as tf.Tensor;
        adversarial = tf.keep(tf.losses.sigmoidCrossEntropy(tf.onesLike(logits), logits) as tf.Scalar);
        return tf.add(l1, tf.mul(adversary.lambda, adversarial)) as tf.Scalar;
      },
      true,
      modelVariables,
    )!;
    const value = (await loss.data())[0];
    if (adversarial) {
      adversarialSum += (await adversarial.data())[0] * rows;
      tf.dispose(adversarial);
      if (disNetOptimizer) trainDisNetStep(model, x, adversary!, disNetOptimizer, disNetVariables);
    }
    tf.dispose([x, loss]);
    return value;
  };
  const parallel =
    !adversary && config.architecture === 'dense' && start.threads !== 1 && dataParallelAvailable(tf.getBackend())
      ? await DataParallelTrainer.start(model, config.latent, config.batchSize).catch((err: Error) => {
          hooks.onWarning?.(`Training on one thread: ${err.message}`);
          return undefined;
        })
      : undefined;

  try {
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      const started = performance.now();
      const order = shuffledIndices(train.count, rng);
      let lossSum = 0;
      adversarialSum = 0;
      for (let b = 0; b < batches; b++) {
        if (hooks.signal.aborted) {
          parallel?.syncModel();
          return { model, summary: summarise(history), cancelled: true };
        }
        const indices = order.subarray(b * config.batchSize, Math.min((b + 1) * config.batchSize, train.count));
        gatherBatch(train, indices, buffer);
        step++;
        rated.learningRate = config.warmupSteps > 0 ? config.learningRate * Math.min(1, step / config.warmupSteps) : config.learningRate;
        const value = parallel
          ? await parallel.step(buffer, indices.length, step, rated.learningRate)
          : await singleThreadStep(indices.length);
        if (!Number.isFinite(value)) throw new Error(`Training diverged: the loss became ${value} in epoch ${epoch}, batch ${b + 1}. Lower the learning rate.`);
        lossSum += value * indices.length;
        hooks.onBatch(epoch, b + 1, batches, value);
        await yieldToEventLoop();
      }
      parallel?.syncModel();
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
    }
    return { model, summary: summarise(history), cancelled: false };
  } finally {
    optimizer.dispose();
    disNetOptimizer?.dispose();
    await parallel?.dispose();
  }
}

/**
 * One dis_net update in the alternating mode: clear images are "clear", their blurred copies and the
 * autoencoder's reconstructions are "not clear", so the autoencoder cannot keep winning with artefacts.
 * The smoothed "clear" target keeps dis_net's logits, and so the autoencoder's adversarial gradient,
 * from growing without bound. It sees the first half of the (shuffled) batch: as good a balance as the
 * whole batch, at 70 % of the alternating step's time.
 */
function trainDisNetStep(model: tfl.LayersModel, x: tf.Tensor2D, adversary: Adversary, optimizer: tf.Optimizer, variables: tf.Variable[]): void {
  tf.tidy(() => {
    const n = Math.ceil(x.shape[0] / 2);
    const half = tf.slice(x, 0, n) as tf.Tensor2D;
    const recon = reconstruct(model, half);
    const inputs = tf.concat([half, blurImages(half, adversary.blur), recon]);
    const labels = tf.concat([tf.fill([n, 1], adversary.updates!.clearLabel), tf.zeros([2 * n, 1])]);
    optimizer.minimize(() => tf.losses.sigmoidCrossEntropy(labels, adversary.disNet.apply(inputs, { training: true }) as tf.Tensor) as tf.Scalar, false, variables);
  });
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
