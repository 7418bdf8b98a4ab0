/**
 * One training step of dis_net or the judge on clear against blurred images, on ONNX Runtime's
 * compiled graph when that engine runs, else on tfjs (the fallback and the reference).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { BlurConfig } from '../../shared/jobs/specs';
import { graphRuntime } from '../backend/graphRuntime';
import { blurImages } from '../data/blur';
import { IMAGE_SIZE } from '../data/mnist';
import { DIS_PREFIX, classifierStep, stepName } from '../graphs/steps';
import { UNROLLED_STEPS, variablesOf } from './autoencoderSteps';
import { GraphState } from './graphState';
import { NetworkState, TrainingCheckpoint, networkState } from '../../runs/checkpoints';
import { exportTfjsAdam, importTfjsAdam } from './tfjsAdamState';

/** The name of the trained network in a checkpoint. */
export const CLASSIFIER = 'classifier';

export interface ClassifierStepper {
  /** How many steps one call may take (the graphs unroll several). */
  readonly steps: number;
  /**
   * `count` steps, step k on rows [k·rows, (k + 1)·rows) of `batches` and of `clear` (1 for an image
   * shown clear, 0 for one shown blurred); their losses.
   */
  step(batches: Float32Array, clear: Float32Array, rows: number, count: number): Promise<number[]>;
  /** Brings the tfjs model up to date with the trained parameters. */
  sync(): void;
  /** The network's state for a checkpoint, after sync(). */
  exportState(): Promise<NetworkState>;
  /** Continues from a checkpoint: parameters and optimizer state, the model synced. */
  importState(checkpoint: TrainingCheckpoint): Promise<void>;
  dispose(): void;
}

export function classifierStepper(model: tfl.LayersModel, learningRate: number, blur: BlurConfig): ClassifierStepper {
  const runtime = graphRuntime();
  if (runtime) {
    const state = new GraphState(model, DIS_PREFIX, true);
    const key = JSON.stringify([state.net, blur]);
    return {
      steps: UNROLLED_STEPS,
      async step(batches, clear, rows, count) {
        const graph = await runtime.graph(`cls_step:${rows}x${count}:${key}`, () => classifierStep(state.net, rows, blur, { steps: count }));
        const feeds = state.stepFeeds(Array(count).fill(learningRate));
        for (let k = 0; k < count; k++) {
          feeds[stepName('x', k)] = batches.subarray(k * rows * IMAGE_SIZE, (k + 1) * rows * IMAGE_SIZE);
          feeds[stepName('clear', k)] = clear.subarray(k * rows, (k + 1) * rows);
        }
        const losses = Array.from({ length: count }, (_, k) => stepName('loss', k));
        const out = await graph.run(feeds, [...state.outputNames(), ...losses]);
        state.take(out, count);
        return losses.map((name) => out[name][0]);
      },
      sync: () => state.writeTo(model),
      exportState: async () => state.exportState(),
      async importState(checkpoint) {
        state.importState(networkState(checkpoint, CLASSIFIER, state.sizes()));
        state.writeTo(model);
      },
      dispose: () => undefined,
    };
  }
  const optimizer = tf.train.adam(learningRate);
  // Named, so that the optimizer's moments follow the model's weights (what a checkpoint assumes).
  const variables = variablesOf(model);
  return {
    steps: 1,
    async step(batch, clear, rows) {
      const loss = tf.tidy(() => {
        const x = tf.tensor2d(batch.subarray(0, rows * IMAGE_SIZE), [rows, IMAGE_SIZE]);
        const isClear = tf.tensor2d(clear.subarray(0, rows), [rows, 1]);
        const input = tf.add(tf.mul(x, isClear), tf.mul(blurImages(x, blur), tf.sub(1, isClear)));
        return optimizer.minimize(() => tf.losses.sigmoidCrossEntropy(isClear, model.apply(input, { training: true }) as tf.Tensor) as tf.Scalar, true, variables)!;
      });
      const value = (await loss.data())[0];
      loss.dispose();
      return [value];
    },
    sync: () => undefined,
    exportState: () => exportTfjsAdam(model, optimizer),
    importState: (checkpoint) => importTfjsAdam(model, optimizer, networkState(checkpoint, CLASSIFIER, model.getWeights().map((w) => w.size))),
    dispose: () => optimizer.dispose(),
  };
}
