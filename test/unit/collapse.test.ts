import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { AutoencoderEpoch } from '../../src/runs/schema';
import { collapseReason } from '../../src/shared/q2a/collapse';
import { initBackend } from '../../src/engine/backend';
import { IMAGE_SIZE, loadMnist } from '../../src/engine/data/mnist';
import { constantBaselines } from '../../src/engine/training/evaluation';
import { trainAutoencoder } from '../../src/engine/training/trainAutoencoder';

const test500 = loadMnist('test', undefined, 500);

before(async () => {
  await initBackend('wasm');
});

test('collapse needs both signs: outputs that hardly vary, and L1 near the constant image', () => {
  assert.match(collapseReason({ testL1: 0.124, outputSpread: 0.02, constantL1: 0.125 }) ?? '', /vary 2\.0% as much .* test L1 0\.1240 .* \(0\.1250\)/);
  assert.equal(collapseReason({ testL1: 0.124, outputSpread: 0.4, constantL1: 0.125 }), undefined, 'varied outputs');
  assert.equal(collapseReason({ testL1: 0.06, outputSpread: 0.05, constantL1: 0.125 }), undefined, 'a low L1');
});

test("the baselines are the split's own pixel spread and the L1 of its per-pixel median image", () => {
  const { images, count } = test500;
  let l1 = 0;
  let spread = 0;
  for (let p = 0; p < IMAGE_SIZE; p++) {
    const column = Array.from({ length: count }, (_, i) => images[i * IMAGE_SIZE + p]).sort((a, b) => a - b);
    const median = column[Math.floor((count - 1) / 2)];
    l1 += column.reduce((s, v) => s + Math.abs(v - median), 0);
    const mean = column.reduce((s, v) => s + v, 0) / count;
    spread += Math.sqrt(column.reduce((s, v) => s + (v - mean) ** 2, 0) / count);
  }
  const baselines = constantBaselines(test500);
  assert.ok(Math.abs(baselines.constantL1 - l1 / (count * IMAGE_SIZE)) < 1e-9, `${baselines.constantL1} against ${l1 / (count * IMAGE_SIZE)}`);
  assert.ok(Math.abs(baselines.spread - spread / IMAGE_SIZE) < 1e-9);
  assert.ok(baselines.constantL1 > 0.1 && baselines.constantL1 < 0.14, 'about the mean intensity of MNIST');
});

test('a run driven into collapse is flagged at every epoch, in its summary and with a warning', async () => {
  const train = loadMnist('train', undefined, 512);
  const epochs: AutoencoderEpoch[] = [];
  const warnings: string[] = [];
  // A rate 50× the default with no warm-up sends every output to the median image at once.
  const config = { architecture: 'dense' as const, latent: 256, epochs: 2, batchSize: 64, learningRate: 0.05, warmupSteps: 0, outputInit: 'grey' as const, trainImages: 512, testImages: 500, seed: 3 };
  const result = await trainAutoencoder(config, train, test500, { signal: new AbortController().signal, onBatch: () => undefined, onEpoch: (m) => void epochs.push(m), onWarning: (w) => warnings.push(w) });
  result.model.dispose();
  assert.ok(epochs.every((m) => m.collapse && m.outputSpread! < 0.1), JSON.stringify(epochs));
  assert.equal(result.summary.collapse, epochs.at(-1)!.collapse);
  assert.equal(warnings.filter((w) => /^Epoch \d: collapsed: /.test(w)).length, 2);
});

test('starting from the mean image keeps the model from collapsing where grey collapses it', async () => {
  const train = loadMnist('train', undefined, 2000);
  const lastEpoch = async (latent: number, outputInit: 'grey' | 'meanImage') => {
    // No warm-up and twice the default rate: the setting where a grey start collapses at every size.
    const config = { architecture: 'dense' as const, latent, epochs: 2, batchSize: 64, learningRate: 0.002, warmupSteps: 0, outputInit, trainImages: 2000, testImages: 500, seed: 1 };
    let last: AutoencoderEpoch | undefined;
    const result = await trainAutoencoder(config, train, test500, { signal: new AbortController().signal, onBatch: () => undefined, onEpoch: (m) => void (last = m) });
    result.model.dispose();
    return last!;
  };
  for (const latent of [16, 256]) {
    const grey = await lastEpoch(latent, 'grey');
    const mean = await lastEpoch(latent, 'meanImage');
    assert.ok(grey.collapse, `L=${latent} from grey: ${JSON.stringify(grey)}`);
    assert.equal(mean.collapse, undefined, `L=${latent} from the mean image: ${JSON.stringify(mean)}`);
    assert.ok(mean.outputSpread! > 0.3 && mean.testL1 < 0.1, `L=${latent} from the mean image: ${JSON.stringify(mean)}`);
  }
});
