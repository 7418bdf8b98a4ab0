/**
 * Gaussian blur of MNIST images as a tensor operation: one separable pass (a k×1 then a 1×k
 * convolution), zero padding at the borders (MNIST digits have empty borders anyway).
 */
import * as tf from '@tensorflow/tfjs-core';
import { BlurConfig } from '../../shared/jobs/specs';
import { gaussianKernel } from './gaussian';
import { IMAGE_SIDE, IMAGE_SIZE } from './mnist';

/** Blurs [n, 784] images; returns [n, 784]. Call inside tf.tidy. */
export function blurImages(x: tf.Tensor2D, blur: BlurConfig): tf.Tensor2D {
  const k = gaussianKernel(blur);
  const images = tf.reshape(x, [-1, IMAGE_SIDE, IMAGE_SIDE, 1]) as tf.Tensor4D;
  const vertical = tf.conv2d(images, tf.tensor4d(k, [k.length, 1, 1, 1]), 1, 'same');
  const both = tf.conv2d(vertical, tf.tensor4d(k, [1, k.length, 1, 1]), 1, 'same');
  return tf.reshape(both, [-1, IMAGE_SIZE]) as tf.Tensor2D;
}
