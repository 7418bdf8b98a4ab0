import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { AutoencoderConfig } from '../../src/shared/jobs/specs';
import { initBackend } from '../../src/engine/backend';
import { IMAGE_SIZE, loadMnist } from '../../src/engine/data/mnist';
import { buildDenseAutoencoder, reconstruct } from '../../src/engine/training/autoencoderModel';
import { buildDisNet } from '../../src/engine/training/disNet';
import { trainAutoencoder } from '../../src/engine/training/trainAutoencoder';

const config: AutoencoderConfig = { architecture: 'dense', latent: 8, epochs: 1, batchSize: 64, learningRate: 0.001, warmupSteps: 0, outputInit: 'meanImage', trainImages: 256, testImages: 64, seed: 4 };
const train = loadMnist('train', undefined, config.trainImages);
const testSet = loadMnist('test', undefined, config.testImages);
const blur = { sigma: 1, kernelSize: 0 };

before(async () => {
  await initBackend('wasm');
});

const weightsOf = async (model: { getWeights(): tf.Tensor[] }) => Promise.all(model.getWeights().map((w) => w.data()));

test('the dis_net term’s gradient reaches the encoder', async () => {
  const model = buildDenseAutoencoder(8, 1);
  const disNet = buildDisNet(1);
  const x = tf.tensor2d(train.images.subarray(0, 32 * IMAGE_SIZE), [32, IMAGE_SIZE]);
  const encoderKernel = model.getLayer('enc_1').trainableWeights[0].read() as tf.Variable;
  const gradient = (lambda: number) =>
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => {
        const recon = reconstruct(model, x, true);
        const logits = disNet.apply(recon) as tf.Tensor;
        const adversarial = tf.losses.sigmoidCrossEntropy(tf.onesLike(logits), logits);
        return tf.add(tf.mean(tf.abs(tf.sub(recon, x))), tf.mul(lambda, adversarial)) as tf.Scalar;
      }, [encoderKernel]);
      return grads[encoderKernel.name].clone();
    });
  const [plain, adversarial] = [gradient(0), gradient(1)];
  const difference = tf.tidy(() => tf.max(tf.abs(tf.sub(plain, adversarial))).dataSync()[0]);
  assert.ok(difference > 1e-7, `the encoder's gradient changes with lambda (max change ${difference})`);
  tf.dispose([plain, adversarial, x]);
  model.dispose();
  disNet.dispose();
});

for (const mode of ['frozen', 'alternating'] as const) {
  test(`${mode} mode ${mode === 'frozen' ? 'leaves dis_net unchanged' : 'updates dis_net after every step'}, and logs the adversarial term apart from L1`, async () => {
    const disNet = buildDisNet(3);
    const before = await weightsOf(disNet);
    const epochs: { trainL1: number; trainAdversarial?: number }[] = [];
    const result = await trainAutoencoder(config, train, testSet, { signal: new AbortController().signal, onBatch: () => undefined, onEpoch: (m) => void epochs.push(m) }, {
      adversary: { disNet, lambda: 0.5, blur, updates: mode === 'alternating' ? { learningRate: 3e-4, clearLabel: 0.9 } : undefined },
    });
    const after = await weightsOf(disNet);
    const changed = before.some((w, i) => w.some((v, j) => v !== after[i][j]));
    assert.equal(changed, mode === 'alternating');
    assert.equal(epochs.length, 1);
    assert.ok(epochs[0].trainAdversarial !== undefined && epochs[0].trainAdversarial > 0, 'the adversarial term is logged');
    assert.ok(epochs[0].trainL1 > 0 && epochs[0].trainL1 < 1, `train L1 ${epochs[0].trainL1} is the L1 part alone`);
    result.model.dispose();
    disNet.dispose();
  });
}

test("the alternating mode updates dis_net at its own rate, not the autoencoder's", async () => {
  const disNet = buildDisNet(3);
  const before = await weightsOf(disNet);
  const disNetRate = 1e-5;
  const steps = config.trainImages / config.batchSize;
  const result = await trainAutoencoder({ ...config, learningRate: 0.01 }, train, testSet, { signal: new AbortController().signal, onBatch: () => undefined, onEpoch: () => undefined }, {
    adversary: { disNet, lambda: 0.01, blur, updates: { learningRate: disNetRate, clearLabel: 0.9 } },
  });
  const after = await weightsOf(disNet);
  const largest = Math.max(...before.flatMap((w, i) => Array.from(w, (v, j) => Math.abs(v - after[i][j]))));
  // An Adam step moves a weight by about its rate (a few times it at most), so 4 steps at 0.01 would move some by far more.
  assert.ok(largest > 0 && largest < 4 * steps * disNetRate, `largest change ${largest} after ${steps} steps at ${disNetRate}`);
  result.model.dispose();
  disNet.dispose();
});
