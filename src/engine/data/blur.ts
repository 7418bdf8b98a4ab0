/**
 * Gaussian blur of MNIST images as a tensor operation: one separable pass (a k×1 then a 1×k
 * convolution), zero padding at the borders (MNIST digits have empty borders anyway).
 */
import * as tf from '@tensorflow/tfjs-core';
import { BlurConfig } from '../../shared/protocol';
import { IMAGE_SIDE, IMAGE_SIZE } from './mnist';

export const DEFAULT_BLUR: BlurConfig = { sigma: 1, kernelSize: 0 };

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

/** Blurs [n, 784] images; returns [n, 784]. Call inside tf.tidy. */
export function blurImages(x: tf.Tensor2D, blur: BlurConfig): tf.Tensor2D {
  const k = gaussianKernel(blur);
  const images = tf.reshape(x, [-1, IMAGE_SIDE, IMAGE_SIDE, 1]) as tf.Tensor4D;
  const vertical = tf.conv2d(images, tf.tensor4d(k, [k.length, 1, 1, 1]), 1, 'same');
  const both = tf.conv2d(vertical, tf.tensor4d(k, [1, k.length, 1, 1]), 1, 'same');
  return tf.reshape(both, [-1, IMAGE_SIZE]) as tf.Tensor2D;
}
