/**
 * `npm run bench`: seconds per training epoch of the default dense autoencoder (60,000 MNIST images,
 * batch 256, L1, Adam) per backend, thread count and latent size, beside PyTorch's for the same model
 * and batch measured in the same run. Each configuration runs in its own process, because a process
 * keeps the tfjs backend it started with, and so that its peak RSS is its own. Not part of the tests.
 *
 *   npm run bench [-- --backends wasm,cpu --latents 2,16,256 --epochs 3]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { AutoencoderConfig, BackendPreference } from '../src/shared/protocol';
import { initBackend } from '../src/engine/backend';
import { IMAGE_SIZE, defaultMnistDir, loadMnist } from '../src/engine/data/mnist';
import { HIDDEN_UNITS } from '../src/engine/training/autoencoderModel';
import { trainAutoencoder } from '../src/engine/training/trainAutoencoder';

const BATCH = 256;
const TRAIN_IMAGES = 60000;
/** The plain-JS backend needs minutes per epoch: it is timed on a slice and scaled up. */
const CPU_IMAGES = 12 * BATCH;

interface Row {
  engine: string;
  threads: number;
  latent: number;
  secondsPerEpoch: number;
  peakRssMb: number;
  note: string;
}

/**
 * Floating-point operations of one training epoch: forward 2·in·out per layer and image, backward twice
 * that, less the gradient with respect to the input images, which nobody needs.
 */
function flopsPerEpoch(latent: number, images = TRAIN_IMAGES): number {
  const sizes = [IMAGE_SIZE, ...HIDDEN_UNITS, latent, ...[...HIDDEN_UNITS].reverse(), IMAGE_SIZE];
  let products = 0;
  for (let i = 0; i + 1 < sizes.length; i++) products += sizes[i] * sizes[i + 1];
  return images * (3 * 2 * products - 2 * sizes[0] * sizes[1]);
}

/** Training time only: from the first batch of an epoch to its last (the test-set evaluation is left out). */
async function measure(backend: BackendPreference, threads: 1 | 2, latent: number, epochs: number): Promise<Row> {
  const info = await initBackend(backend);
  const images = info.chosen === 'cpu' ? CPU_IMAGES : TRAIN_IMAGES;
  const train = loadMnist('train', undefined, images);
  const test = loadMnist('test', undefined, 100);
  const config: AutoencoderConfig = { architecture: 'dense', latent, epochs: epochs + 1, batchSize: BATCH, learningRate: 1e-3, warmupSteps: 1000, outputInit: 'meanImage', trainImages: images, testImages: 100, seed: 1 };
  const batches = Math.ceil(images / BATCH);
  const starts: number[] = [];
  const ends: number[] = [];
  let epochStart = 0;
  await trainAutoencoder(config, train, test, {
    signal: new AbortController().signal,
    onBatch: (epoch, batch) => {
      const now = performance.now();
      if (batch === 1) epochStart = now;
      if (batch === batches) {
        starts[epoch - 1] = epochStart;
        ends[epoch - 1] = now;
      }
    },
    onEpoch: () => undefined,
  }, { threads });
  // Epoch 1 is the warm-up; the first batch's own time is added back from the median batch of the rest.
  const times = ends.slice(1).map((end, i) => ((end - starts[i + 1]) / 1000) * (batches / (batches - 1)) * (TRAIN_IMAGES / images));
  times.sort((a, b) => a - b);
  return {
    engine: `tfjs ${info.chosen}${info.device ? ` (${info.device})` : ''}`,
    threads,
    latent,
    secondsPerEpoch: times[Math.floor(times.length / 2)],
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    note: `median of ${epochs} after a warm-up epoch` + (images < TRAIN_IMAGES ? `, scaled from ${images} images` : ''),
  };
}

/** Debian's PyTorch (python3-torch with OpenBLAS) when it is there, installed first when it can be. */
function pythonWithTorch(): string | undefined {
  const candidates = ['/usr/bin/python3', 'python3'];
  const works = () => candidates.find((p) => spawnSync(p, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);
  if (works()) return works();
  if (process.getuid?.() === 0) {
    console.error('PyTorch is not importable: installing python3-torch and libopenblas0-pthread with apt-get…');
    spawnSync('apt-get', ['install', '-y', '-q', 'python3-torch', 'libopenblas0-pthread'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
  return works();
}

function torchRows(latents: number[], epochs: number): Row[] {
  const python = pythonWithTorch();
  if (!python) return [{ engine: 'PyTorch', threads: 2, latent: NaN, secondsPerEpoch: NaN, peakRssMb: NaN, note: 'not measured: run `apt-get install python3-torch libopenblas0-pthread`' }];
  const out = execFileSync(python, [path.join(__dirname, 'bench_torch.py'), defaultMnistDir(), latents.join(','), String(epochs), '2'], { encoding: 'utf8' });
  return out
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))
    .map((r) => ({ engine: `PyTorch ${r.torch} (${r.blas})`, threads: 2, latent: r.latent, secondsPerEpoch: r.secondsPerEpoch, peakRssMb: r.peakRssMb, note: `median of ${epochs} after a warm-up epoch` }));
}

async function main() {
  const { values } = parseArgs({ options: { backends: { type: 'string' }, latents: { type: 'string' }, epochs: { type: 'string' }, child: { type: 'string' }, threads: { type: 'string' } } });
  const latents = (values.latents ?? '2,16,256').split(',').map(Number);
  const epochs = Number(values.epochs ?? 3);
  if (values.child) {
    const rows = [];
    for (const latent of latents) rows.push(await measure(values.child as BackendPreference, Number(values.threads) as 1 | 2, latent, epochs));
    process.stdout.write(JSON.stringify(rows));
    return;
  }
  const runs = (values.backends ?? 'wasm,cpu').split(',').flatMap((backend) => (backend === 'wasm' ? [[backend, 1], [backend, 2]] : [[backend, 1]]) as [string, number][]);
  const rows: Row[] = [];
  for (const [backend, threads] of runs) {
    try {
      const out = execFileSync(process.execPath, [...process.execArgv, __filename, '--child', backend, '--threads', String(threads), '--latents', latents.join(','), '--epochs', String(epochs)], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      rows.push(...JSON.parse(out));
    } catch (err) {
      rows.push({ engine: backend, threads, latent: NaN, secondsPerEpoch: NaN, peakRssMb: NaN, note: `not available: ${(err as Error).message.split('\n')[0]}` });
    }
  }
  rows.push(...torchRows(latents, epochs));
  console.log(`${os.cpus().length} CPUs: ${os.cpus()[0]?.model ?? 'unknown'}`);
  console.log('engine                          threads latent  s/epoch  images/s  GFLOP/s  peak RSS MB  vs PyTorch  note');
  for (const r of rows) {
    const torch = rows.find((t) => t.engine.startsWith('PyTorch') && t.latent === r.latent);
    const ratio = torch && !r.engine.startsWith('PyTorch') ? `${(r.secondsPerEpoch / torch.secondsPerEpoch).toFixed(2)}×` : '';
    console.log(
      `${r.engine.padEnd(31)} ${String(r.threads).padStart(7)} ${String(r.latent).padStart(6)} ${r.secondsPerEpoch.toFixed(1).padStart(8)} ${(TRAIN_IMAGES / r.secondsPerEpoch).toFixed(0).padStart(9)} ` +
        `${(flopsPerEpoch(r.latent) / r.secondsPerEpoch / 1e9).toFixed(1).padStart(8)} ${r.peakRssMb.toFixed(0).padStart(12)} ${ratio.padStart(11)}  ${r.note}`,
    );
  }
  console.log(`(GFLOP/s counts ${(flopsPerEpoch(16) / 1e12).toFixed(3)} TFLOP per epoch at L = 16: forward, and backward without the gradient for the input images.)`);
}

void main();
