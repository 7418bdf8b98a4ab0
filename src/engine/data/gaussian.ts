/** The Gaussian blur's parameters and weights, shared by the tfjs blur and the ONNX graphs' blur. */
import { BlurConfig } from '../../shared/jobs/specs';

/** 0 means 2·⌈3σ⌉ + 1: wide enough for 99.7% of the Gaussian's mass. */
export function kernelSizeOf(blur: BlurConfig): number {
  return blur.kernelSize || 2 * Math.ceil(3 * blur.sigma) + 1;
}

/** Normalised 1-D Gaussian weights. */
export function gaussianKernel(blur: BlurConfig): Float32Array {
  const size = kernelSizeOf(blur);
  const half = (size - 1) / 2;
  const weights = Float32Array.from({ length: size }, (_, i) => Math.exp(-((i - half) ** 2) / (2 * blur.sigma ** 2)));
  const total = weights.reduce((s, w) => s + w, 0);
  return weights.map((w) => w / total);
}
