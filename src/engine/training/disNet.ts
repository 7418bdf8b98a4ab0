/**
 * dis_net: a small convolutional network giving the probability that a 28×28 image is clear (not
 * blurred). Trained on the training images, each batch half clear and half blurred, with a fresh
 * random choice of which half per batch; judged on every test image both clear and blurred.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { DisNetConfig } from '../../shared/jobs/specs';
import { DisNetEpoch, DisNetStep, DisNetSummary } from '../../runs/schema';
import { TrainingCheckpoint } from '../../runs/checkpoints';
import { IMAGE_SIDE, IMAGE_SIZE, MnistSplit } from '../data/mnist';
import { createRng, shuffledIndices } from '../random';
import { CLASSIFIER, classifierStepper } from './classifierSteps';
import { clearProbabilities } from './inference';
import { yieldToEventLoop } from '../eventLoop';

export interface DisNetHooks {
  signal: AbortSignal;
  onBatch(epoch: number, batch: number, batches: number, loss: number): void;
  /** Every batch, with its global step (for the step log). */
  onStep?(step: Omit<DisNetStep, 'seconds'>): void;
  onEpoch(metrics: DisNetEpoch): void | Promise<void>;
  /** After onEpoch: what continuing from the end of this epoch needs. */
  onCheckpoint?(checkpoint: TrainingCheckpoint): void | Promise<void>;
}

export function buildDisNet(seed: number): tfl.Sequential {
  let layerIndex = 0;
  const init = () => ({ kernelInitializer: tfl.initializers.glorotUniform({ seed: (seed * 977 + ++layerIndex) >>> 0 }), biasInitializer: 'zeros' as const });
  const model = tfl.sequential({ name: 'dis_net' });
  model.add(tfl.layers.reshape({ targetShape: [IMAGE_SIDE, IMAGE_SIDE, 1], inputShape: [IMAGE_SIZE], name: 'to_image' }));
  model.add(tfl.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', name: 'conv_1', ...init() }));
  model.add(tfl.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', name: 'conv_2', ...init() }));
  model.add(tfl.layers.flatten({ name: 'flat' }));
  model.add(tfl.layers.dense({ units: 1, activation: 'linear', name: 'clear_logit', ...init() }));
  return model;
}

/**
 * The judge of Q2b: told clear from blurred like dis_net, but with its own architecture (5×5 filters at
 * full resolution, then a 3×3 stride-2 layer, averaged over the whole image) and seed, and never used in
 * training, so that artefacts that fool dis_net need not fool it.
 */
export function buildJudge(seed: number): tfl.Sequential {
  let layerIndex = 0;
  const init = () => ({ kernelInitializer: tfl.initializers.glorotUniform({ seed: (seed * 613 + ++layerIndex) >>> 0 }), biasInitializer: 'zeros' as const });
  const model = tfl.sequential({ name: 'judge' });
  model.add(tfl.layers.reshape({ targetShape: [IMAGE_SIDE, IMAGE_SIDE, 1], inputShape: [IMAGE_SIZE], name: 'to_image' }));
  model.add(tfl.layers.conv2d({ filters: 8, kernelSize: 5, padding: 'same', activation: 'relu', name: 'conv_1', ...init() }));
  model.add(tfl.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', name: 'conv_2', ...init() }));
  model.add(tfl.layers.globalAveragePooling2d({ name: 'pool' }));
  model.add(tfl.layers.dense({ units: 1, activation: 'linear', name: 'clear_logit', ...init() }));
  return model;
}

/** Confusion counts on every test image, clear and blurred: rows truth (clear, blurred), columns prediction. */
export async function evaluateDisNet(model: tfl.LayersModel, test: MnistSplit, config: DisNetConfig): Promise<{ accuracy: number; confusion: [[number, number], [number, number]] }> {
  const { clear, blurredClear } = await clearProbabilities(model, test.images, test.count, config.blur);
  const saysClear = (p: Float32Array) => p.reduce((n, v) => n + (v >= 0.5 ? 1 : 0), 0);
  const clearAsClear = saysClear(clear);
  const blurredAsClear = saysClear(blurredClear!);
  const confusion: [[number, number], [number, number]] = [
    [clearAsClear, test.count - clearAsClear],
    [blurredAsClear, test.count - blurredAsClear],
  ];
  return { accuracy: (clearAsClear + test.count - blurredAsClear) / (2 * test.count), confusion };
}

export interface DisNetResult {
  model: tfl.LayersModel;
  summary: DisNetSummary;
  cancelled: boolean;
}

/**
 * Trains dis_net, or with `build` = buildJudge the judge; with `resume`, from after the checkpoint's
 * epoch, as if it had never stopped.
 */
export async function trainDisNet(config: DisNetConfig, train: MnistSplit, test: MnistSplit, hooks: DisNetHooks, build = buildDisNet, resume?: TrainingCheckpoint): Promise<DisNetResult> {
  const model = build(config.seed);
  const stepper = classifierStepper(model, config.learningRate, config.blur);
  const rng = createRng(resume?.rng ?? config.seed);
  const batches = Math.ceil(train.count / config.batchSize);
  const buffer = new Float32Array(stepper.steps * config.batchSize * IMAGE_SIZE);
  const isClear = new Float32Array(stepper.steps * config.batchSize);
  const rowsOf = (b: number) => Math.min(config.batchSize, train.count - b * config.batchSize);
  let epochsCompleted = resume?.epoch ?? 0;
  let step = resume?.step ?? 0;
  let last: Awaited<ReturnType<typeof evaluateDisNet>> | undefined;
  try {
    if (resume) await stepper.importState(resume);
    for (let epoch = epochsCompleted + 1; epoch <= config.epochs; epoch++) {
      const started = performance.now();
      const order = shuffledIndices(train.count, rng);
      let lossSum = 0;
      for (let b = 0; b < batches; ) {
        // A turn of the event loop first: a cancel that came in meanwhile (or while MNIST loaded) is seen.
        await yieldToEventLoop();
        if (hooks.signal.aborted) {
          stepper.sync();
          return { model, summary: { kind: 'disnet', epochsCompleted }, cancelled: true };
        }
        // As many batches as one call takes, all of this one's size (the last batch may be smaller).
        const n = rowsOf(b);
        let count = 1;
        while (count < stepper.steps && b + count < batches && rowsOf(b + count) === n) count++;
        for (let k = 0; k < count; k++) {
          const indices = order.subarray((b + k) * config.batchSize, (b + k) * config.batchSize + n);
          for (let i = 0; i < n; i++) buffer.set(train.images.subarray(indices[i] * IMAGE_SIZE, (indices[i] + 1) * IMAGE_SIZE), (k * n + i) * IMAGE_SIZE);
          // Which half of this batch is blurred: a fresh random choice every batch.
          const blurredFirst = shuffledIndices(n, rng);
          const clear = isClear.subarray(k * n, (k + 1) * n).fill(1);
          for (let i = 0; i < Math.floor(n / 2); i++) clear[blurredFirst[i]] = 0;
        }
        const losses = await stepper.step(buffer, isClear, n, count);
        step += count;
        losses.forEach((loss, k) => {
          lossSum += loss * n;
          hooks.onBatch(epoch, b + k + 1, batches, loss);
          hooks.onStep?.({ step: step - count + 1 + k, epoch, batch: b + k + 1, crossEntropy: loss });
        });
        b += count;
      }
      stepper.sync();
      last = await evaluateDisNet(model, test, config);
      epochsCompleted = epoch;
      await hooks.onEpoch({ epoch, trainLoss: lossSum / train.count, testAccuracy: last.accuracy, seconds: (performance.now() - started) / 1000 });
      if (hooks.onCheckpoint) await hooks.onCheckpoint({ epoch, step, rng: rng.state(), networks: { [CLASSIFIER]: await stepper.exportState() } });
    }
    // Resumed after its last epoch: the final figures come from the trained model as it stands.
    if (!last && epochsCompleted > 0) last = await evaluateDisNet(model, test, config);
    return { model, summary: { kind: 'disnet', epochsCompleted, testAccuracy: last?.accuracy, confusion: last?.confusion }, cancelled: false };
  } finally {
    stepper.dispose();
  }
}
