/**
 * Sharpness as mean gradient magnitude: the average of √(dx² + dy²) over every pixel of every image,
 * with forward differences. A blurred image has weaker edges, so its figure is lower; the ratio of
 * reconstructions to originals says how much sharpness an autoencoder keeps (1 = all of it).
 */
import { IMAGE_SIDE, IMAGE_SIZE } from '../data/mnist';

export function meanGradientMagnitude(images: Float32Array, count: number): number {
  let total = 0;
  for (let i = 0; i < count; i++) {
    const base = i * IMAGE_SIZE;
    for (let y = 0; y < IMAGE_SIDE - 1; y++) {
      for (let x = 0; x < IMAGE_SIDE - 1; x++) {
        const p = base + y * IMAGE_SIDE + x;
        total += Math.hypot(images[p + 1] - images[p], images[p + IMAGE_SIDE] - images[p]);
      }
    }
  }
  return total / (count * (IMAGE_SIDE - 1) * (IMAGE_SIDE - 1));
}
