/**
 * `npm run bench`: seconds per training epoch of the default dense autoencoder (60,000 MNIST images,
 * batch 256, L1, Adam) per backend and latent size. Each backend runs in its own process, because a
 * process keeps the tfjs backend it started with. Not part of the tests: timings belong here.
 *
 *   npm run bench [-- --backends wasm,cpu --latents 2,16,256 --epochs 2]
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { BackendPreference } from '../src/shared/protocol';
import { initBackend } from '../src/engine/backend';
import { IMAGE_SIZE, loadMnist } from '../src/engine/data/mnist';
import { buildDenseAutoencoder, reconstruct } from '../src/engine/training/autoencoderModel';
import { l1Loss } from '../src/engine/training/trainAutoencoder';

const BATCH = 256;
/** The plain-JS backend needs minutes per epoch: it is timed on a slice and scaled up. */
const CPU_BATCHES = 12;

interface Row {
  backend: string;
  latent: number;
  secondsPerEpoch: number;
  imagesPerSecond: number;
  note: string;
}

async function measure(backend: BackendPreference, latent: number, epochs: number): Promise<Row> {
  const info = await initBackend(backend);
  const train = loadMnist('train');
  const model = buildDenseAutoencoder(latent, 1);
  const optimizer = tf.train.adam(1e-3);
  const batchesPerEpoch = Math.floor(train.count / BATCH);
  const timedBatches = info.chosen === 'cpu' ? CPU_BATCHES : batchesPerEpoch;
  const step = async (b: number) => {
    const from = (b % batchesPerEpoch) * BATCH * IMAGE_SIZE;
    const x = tf.tensor2d(train.images.subarray(from, from + BATCH * IMAGE_SIZE), [BATCH, IMAGE_SIZE]);
    const loss = optimizer.minimize(() => l1Loss(reconstruct(model, x, true), x), true)!;
    await loss.data();
    tf.dispose([x, loss]);
  };
  for (let b = 0; b < 5; b++) await step(b); // warm-up: kernels compiled, memory allocated
  const times: number[] = [];
  for (let e = 0; e < epochs; e++) {
    const started = performance.now();
    for (let b = 0; b < timedBatches; b++) await step(b);
    times.push(((performance.now() - started) / 1000) * (batchesPerEpoch / timedBatches));
  }
  times.sort((a, b) => a - b);
  const secondsPerEpoch = times[Math.floor(times.length / 2)];
  return {
    backend: info.chosen + (info.device ? ` (${info.device})` : ''),
    latent,
    secondsPerEpoch,
    imagesPerSecond: (batchesPerEpoch * BATCH) / secondsPerEpoch,
    note: `median of ${epochs}` + (timedBatches < batchesPerEpoch ? `, scaled from ${timedBatches} batches` : ''),
  };
}

async function main() {
  const { values } = parseArgs({ options: { backends: { type: 'string' }, latents: { type: 'string' }, epochs: { type: 'string' }, child: { type: 'string' } } });
  const latents = (values.latents ?? '2,16,256').split(',').map(Number);
  const epochs = Number(values.epochs ?? 3);
  if (values.child) {
    const rows = [];
    for (const latent of latents) rows.push(await measure(values.child as BackendPreference, latent, epochs));
    process.stdout.write(JSON.stringify(rows));
    return;
  }
  const backends = (values.backends ?? 'wasm,cpu').split(',');
  const rows: Row[] = [];
  for (const backend of backends) {
    try {
      const out = execFileSync(process.execPath, [...process.execArgv, __filename, '--child', backend, '--latents', latents.join(','), '--epochs', String(epochs)], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      rows.push(...JSON.parse(out));
    } catch (err) {
      rows.push({ backend, latent: NaN, secondsPerEpoch: NaN, imagesPerSecond: NaN, note: `not available: ${(err as Error).message.split('\n')[0]}` });
    }
  }
  console.log('backend            latent  s/epoch  images/s  note');
  for (const r of rows) {
    console.log(`${r.backend.padEnd(18)} ${String(r.latent).padStart(6)} ${r.secondsPerEpoch.toFixed(1).padStart(8)} ${r.imagesPerSecond.toFixed(0).padStart(9)}  ${r.note}`);
  }
}

void main();
