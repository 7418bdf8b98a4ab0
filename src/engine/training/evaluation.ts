/**
 * The test-set figures of an autoencoder after each epoch: L1, and how much its outputs vary between
 * images, with the baselines that tell a working model from a collapsed one (see shared/q2a/collapse).
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { IMAGE_SIZE, MnistSplit } from '../data/mnist';
import { runAutoencoder } from './inference';

export interface Evaluation {
  l1: number;
  /** Mean over pixels of the standard deviation across images: how much the outputs differ. */
  spread: number;
}

/** Mean over pixels of the standard deviation across images, from per-pixel sums and sums of squares. */
function meanPixelStd(sum: Float64Array, squares: Float64Array, count: number): number {
  let total = 0;
  for (let p = 0; p < sum.length; p++) total += Math.sqrt(Math.max(0, squares[p] / count - (sum[p] / count) ** 2));
  return total / sum.length;
}

/** A split's own pixel spread and the test L1 of its per-pixel median image, the baselines of collapse. */
export function constantBaselines(data: MnistSplit): { spread: number; constantL1: number } {
  // Pixels are k/255, so a 256-bin histogram per pixel gives its exact median.
  const histogram = new Uint32Array(IMAGE_SIZE * 256);
  const sum = new Float64Array(IMAGE_SIZE);
  const squares = new Float64Array(IMAGE_SIZE);
  for (let i = 0; i < data.count; i++) {
    for (let p = 0; p < IMAGE_SIZE; p++) {
      const v = data.images[i * IMAGE_SIZE + p];
      histogram[p * 256 + Math.round(v * 255)]++;
      sum[p] += v;
      squares[p] += v * v;
    }
  }
  let l1 = 0;
  for (let p = 0; p < IMAGE_SIZE; p++) {
    let seen = 0;
    let median = 0;
    while ((seen += histogram[p * 256 + median]) * 2 < data.count) median++;
    for (let k = 0; k < 256; k++) l1 += histogram[p * 256 + k] * Math.abs(k - median);
  }
  return { spread: meanPixelStd(sum, squares, data.count), constantL1: l1 / 255 / (data.count * IMAGE_SIZE) };
}

/** Mean L1 and the outputs' spread over a split. */
export async function evaluateReconstructions(model: tfl.LayersModel, data: MnistSplit): Promise<Evaluation> {
  const pass = await runAutoencoder(model, data.images, data.count);
  return { l1: pass.l1Sum / (data.count * IMAGE_SIZE), spread: meanPixelStd(pass.pixelSum, pass.pixelSquares, data.count) };
}
