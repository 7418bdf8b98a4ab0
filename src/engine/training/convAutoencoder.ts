/**
 * A small convolutional autoencoder for 28×28 MNIST. It takes and returns flat [784] vectors, like the
 * dense model, so both share one training loop:
 *   784 → 28×28×1 → conv 3×3/2 16 (14×14) → conv 3×3/2 32 (7×7) → latent (linear)
 *       → 7×7×32 → transposed conv 3×3/2 16 (14×14) → transposed conv 3×3/2 1 (28×28) → 784 logits.
 * Like the dense model it ends in logits; `reconstruct` applies the clipped sigmoid (see autoencoderModel).
 * Filters are few on purpose: on a CPU-only backend each batch costs far more than the dense model's.
 * On 'wasm' it needs `installWasmConvKernels()` (the backend lacks the filter-gradient kernel).
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { IMAGE_SIDE, IMAGE_SIZE } from '../data/mnist';

const FILTERS = [16, 32] as const;
const CODE_SIDE = IMAGE_SIDE / 4; // two stride-2 convolutions: 28 → 14 → 7

export function buildConvAutoencoder(latent: number, seed: number): tfl.Sequential {
  // Each layer with weights gets its own seed derived from the run's, so initial weights are reproducible.
  let layerIndex = 0;
  const init = () => ({
    kernelInitializer: tfl.initializers.glorotUniform({ seed: (seed * 131 + ++layerIndex) >>> 0 }),
    biasInitializer: 'zeros' as const,
  });
  const conv = (filters: number, activation: 'relu', name: string) =>
    tfl.layers.conv2d({ filters, kernelSize: 3, strides: 2, padding: 'same', activation, name, ...init() });
  const deconv = (filters: number, activation: 'relu' | 'linear', name: string) =>
    tfl.layers.conv2dTranspose({ filters, kernelSize: 3, strides: 2, padding: 'same', activation, name, ...init() });
  const dense = (units: number, activation: 'relu' | 'linear', name: string) => tfl.layers.dense({ units, activation, name, ...init() });

  const model = tfl.sequential({ name: `conv_autoencoder_L${latent}` });
  model.add(tfl.layers.reshape({ targetShape: [IMAGE_SIDE, IMAGE_SIDE, 1], inputShape: [IMAGE_SIZE], name: 'to_image' }));
  model.add(conv(FILTERS[0], 'relu', 'enc_conv_1')); // 14×14×16
  model.add(conv(FILTERS[1], 'relu', 'enc_conv_2')); // 7×7×32
  model.add(tfl.layers.flatten({ name: 'enc_flat' }));
  model.add(dense(latent, 'linear', 'latent'));
  model.add(dense(CODE_SIDE * CODE_SIDE * FILTERS[1], 'relu', 'dec_dense'));
  model.add(tfl.layers.reshape({ targetShape: [CODE_SIDE, CODE_SIDE, FILTERS[1]], name: 'dec_image' }));
  model.add(deconv(FILTERS[0], 'relu', 'dec_deconv_1')); // 14×14×16
  model.add(deconv(1, 'linear', 'dec_deconv_2')); // 28×28×1
  model.add(tfl.layers.flatten({ name: 'logits' }));
  return model;
}
