/** The default dense autoencoder: 784-512-128-L-128-512-784, ReLU inside, sigmoid output. */
import * as tfl from '@tensorflow/tfjs-layers';
import { IMAGE_SIZE } from '../data/mnist';

export const HIDDEN_UNITS = [512, 128] as const;

export function buildDenseAutoencoder(latent: number, seed: number): tfl.Sequential {
  // Each layer gets its own seed derived from the run's, so initial weights are reproducible.
  let layerIndex = 0;
  const dense = (units: number, activation: 'relu' | 'sigmoid' | 'linear', name: string, inputDim?: number) =>
    tfl.layers.dense({
      units,
      activation,
      name,
      inputShape: inputDim ? [inputDim] : undefined,
      kernelInitializer: tfl.initializers.glorotUniform({ seed: (seed * 131 + ++layerIndex) >>> 0 }),
      biasInitializer: 'zeros',
    });
  const model = tfl.sequential({ name: `autoencoder_L${latent}` });
  model.add(dense(HIDDEN_UNITS[0], 'relu', 'enc_1', IMAGE_SIZE));
  model.add(dense(HIDDEN_UNITS[1], 'relu', 'enc_2'));
  model.add(dense(latent, 'linear', 'latent'));
  model.add(dense(HIDDEN_UNITS[1], 'relu', 'dec_1'));
  model.add(dense(HIDDEN_UNITS[0], 'relu', 'dec_2'));
  model.add(dense(IMAGE_SIZE, 'sigmoid', 'reconstruction'));
  return model;
}
