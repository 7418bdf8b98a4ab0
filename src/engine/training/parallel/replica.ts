/**
 * A thread's replica of the dense autoencoder in a data-parallel trainer: it loads the shared
 * parameters (and the transposed kernels the backward pass multiplies by) into its own tfjs backend and
 * writes the gradient of its share of a batch back into shared memory.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { IMAGE_SIZE } from '../../data/mnist';
import { LOGIT_LIMIT } from '../autoencoderModel';

/** Where one variable lies in the flat parameter vector. */
export interface Segment {
  offset: number;
  size: number;
  /** A kernel's [inputs, outputs]; a bias has rows 1. */
  rows: number;
  cols: number;
  /** Kernels after the first are also kept transposed: the backward pass multiplies by them. */
  transposed: boolean;
}

export function variablesOf(model: tfl.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

export function segmentsOf(variables: tf.Variable[]): Segment[] {
  let offset = 0;
  return variables.map((v, i) => {
    const [rows, cols] = v.shape.length === 2 ? v.shape : [1, v.size];
    const segment = { offset, size: v.size, rows, cols, transposed: v.shape.length === 2 && i > 0 };
    offset += v.size;
    return segment;
  });
}

export function parameterCount(segments: Segment[]): number {
  const last = segments[segments.length - 1];
  return last.offset + last.size;
}

/** Transposing a parameter costs about a third of its Adam update (measured in V8 on this workload). */
const TRANSPOSE_COST = 0.35;

/**
 * Where the engine thread's share of the Adam update ends and the worker's begins: a variable boundary,
 * so that each thread also transposes whole kernels of its own, chosen to even out the two threads' work.
 */
export function adamSplit(segments: Segment[]): number {
  const cost = (list: Segment[]) => list.reduce((sum, s) => sum + s.size * (1 + (s.transposed ? TRANSPOSE_COST : 0)), 0);
  let best = { end: 0, imbalance: Infinity };
  segments.forEach((s, i) => {
    const imbalance = Math.abs(cost(segments.slice(0, i + 1)) - cost(segments.slice(i + 1)));
    if (imbalance < best.imbalance) best = { end: s.offset + s.size, imbalance };
  });
  return best.end;
}

/** Writes the transposes of the kernels that lie in [from, to) (blocked, for the cache). */
export function transposeKernels(segments: Segment[], params: Float32Array, transposed: Float32Array, from: number, to: number): void {
  const BLOCK = 32;
  for (const { offset, rows, cols, transposed: wanted } of segments) {
    if (!wanted || offset < from || offset >= to) continue;
    for (let i0 = 0; i0 < rows; i0 += BLOCK) {
      for (let j0 = 0; j0 < cols; j0 += BLOCK) {
        for (let i = i0; i < Math.min(i0 + BLOCK, rows); i++) {
          for (let j = j0; j < Math.min(j0 + BLOCK, cols); j++) transposed[offset + j * rows + i] = params[offset + i * cols + j];
        }
      }
    }
  }
}

/** Which dense layers end in ReLU; the gradient below is written for a stack of dense layers only. */
function reluLayers(model: tfl.LayersModel): boolean[] {
  return model.layers.map((layer) => {
    const config = layer.getConfig();
    if (layer.getClassName() !== 'Dense' || !['relu', 'linear'].includes(String(config.activation))) {
      throw new Error(`data-parallel training handles dense ReLU/linear layers only, not ${layer.getClassName()} "${layer.name}"`);
    }
    return config.activation === 'relu';
  });
}

export class Replica {
  readonly variables: tf.Variable[];
  readonly segments: Segment[];
  private readonly relu: boolean[];
  /** Per layer, its kernel transposed (none for the first layer). */
  private kernelsT: (tf.Tensor2D | undefined)[] = [];

  constructor(model: tfl.LayersModel) {
    this.variables = variablesOf(model);
    this.segments = segmentsOf(this.variables);
    this.relu = reluLayers(model);
  }

  store(params: Float32Array): void {
    this.variables.forEach((v, i) => params.set(v.dataSync() as Float32Array, this.segments[i].offset));
  }

  /** Loads the variables that start in [from, to) (all by default), with their transposed kernels. */
  load(params: Float32Array, transposed: Float32Array, from = 0, to = Infinity): void {
    this.variables.forEach((v, i) => {
      const { offset, size, rows, cols, transposed: keepsTranspose } = this.segments[i];
      if (offset < from || offset >= to) return;
      tf.tidy(() => v.assign(tf.tensor(params.subarray(offset, offset + size), v.shape)));
      if (keepsTranspose) {
        this.kernelsT[i / 2]?.dispose();
        this.kernelsT[i / 2] = tf.tensor2d(transposed.subarray(offset, offset + size), [cols, rows]);
      }
    });
  }

  /**
   * The gradient of this thread's share of the batch's mean L1: the sum over its `rows` divided by the
   * whole batch's pixel count, so the threads' gradients add up to the gradient of the batch's mean.
   * Backpropagation is written out for the dense stack, without tfjs's tape and multiplying by kernels
   * already transposed, and follows tfjs's own gradients exactly: d|u| = step(u, −1), sigmoid' = y(1 − y),
   * the clip passes the gradient only inside [−15, 15], ReLU's only where its output is positive.
   * Writes the gradient flat into `out` and returns this share of the loss.
   */
  gradient(input: Float32Array, rows: number, batchRows: number, out: Float32Array): number {
    const kernels = this.variables.filter((_, i) => i % 2 === 0) as tf.Tensor2D[];
    const biases = this.variables.filter((_, i) => i % 2 === 1) as tf.Tensor1D[];
    const { loss, grads } = tf.tidy(() => {
      const x = tf.tensor2d(input.subarray(0, rows * IMAGE_SIZE), [rows, IMAGE_SIZE]);
      const inputs: tf.Tensor[] = [x];
      kernels.forEach((kernel, l) => inputs.push(tf.fused.matMul({ a: inputs[l] as tf.Tensor2D, b: kernel, bias: biases[l], activation: this.relu[l] ? 'relu' : 'linear' })));
      const logits = inputs.pop()!;
      const reconstruction = tf.sigmoid(tf.clipByValue(logits, -LOGIT_LIMIT, LOGIT_LIMIT));
      const error = tf.sub(reconstruction, x);
      const scale = 1 / (batchRows * IMAGE_SIZE);
      const inside = tf.lessEqual(tf.abs(logits), LOGIT_LIMIT);
      let delta: tf.Tensor = tf.where(inside, tf.mul(tf.mul(tf.step(error, -1), scale), tf.mul(reconstruction, tf.sub(1, reconstruction))), tf.zerosLike(logits));
      const grads: tf.Tensor[] = [];
      for (let l = kernels.length - 1; l >= 0; l--) {
        grads[2 * l] = tf.matMul(inputs[l], delta, true, false);
        grads[2 * l + 1] = tf.sum(delta, 0);
        if (l === 0) break; // nobody needs the gradient with respect to the images
        const back: tf.Tensor = tf.matMul(delta, this.kernelsT[l]!);
        delta = this.relu[l - 1] ? tf.mul(back, tf.step(inputs[l])) : back;
      }
      return { loss: tf.mul(tf.sum(tf.abs(error)), scale), grads };
    });
    grads.forEach((g, i) => out.set(g.dataSync() as Float32Array, this.segments[i].offset));
    const value = loss.dataSync()[0];
    tf.dispose([loss, ...grads]);
    return value;
  }

  dispose(): void {
    tf.dispose(this.kernelsT.filter((k): k is tf.Tensor2D => k !== undefined));
    this.kernelsT = [];
  }
}
