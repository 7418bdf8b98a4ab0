/**
 * `npm run bench`: seconds per training epoch of the default autoencoder (60,000 MNIST images, batch 256,
 * L1, Adam) per engine backend, thread count and latent size, beside PyTorch 2.x's for the same model,
 * batch and optimizer. Not part of the tests.
 *
 *   npm run bench [-- --backends onnxruntime,wasm --threads 1,2 --latents 2,16,256 --epochs 3
 *                     --arch dense|conv --torch-adam default,fused --json]
 *
 * Every configuration runs in its own process (a process keeps the backend and thread count it started
 * with, and its peak RSS is then its own). The processes of one thread count and latent size, engine and
 * PyTorch, start together and then take turns epoch by epoch, so that noise on a shared machine hits all
 * of them alike. Each row is the median of --epochs epochs after a warm-up epoch, training time only
 * (the engine's per-epoch test evaluation is left out).
 *
 * PyTorch comes from $ASSIGNMENT2_TORCH_PYTHON, else the venv .bench/torch-venv, which is created with
 * pip when it is missing. Without a PyTorch ≥ 2 the engine rows are still printed.
 *
 * --json prints one JSON object per row on stdout and nothing else there (`npm run -s`, or npm prints its
 * banner there too); progress goes to stderr.
 */
import { ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { parseArgs } from 'node:util';
import { ARCHITECTURES, AutoencoderConfig } from '../src/shared/jobs/specs';
import { BackendInfo, BackendPreference } from '../src/shared/backends';
import { initBackend } from '../src/engine/backend';
import { IMAGE_SIZE, defaultMnistDir, loadMnist } from '../src/engine/data/mnist';
import { HIDDEN_UNITS } from '../src/engine/training/autoencoderModel';
import { trainAutoencoder } from '../src/engine/training/trainAutoencoder';

const BATCH = 256;
const TRAIN_IMAGES = 60000;
/** The plain-JS backend needs minutes per epoch: it is timed on a slice and scaled up. */
const CPU_IMAGES = 12 * BATCH;
const TORCH_VENV = path.join(__dirname, '..', '.bench', 'torch-venv');

type Arch = (typeof ARCHITECTURES)[number];

interface Row {
  engine: string;
  arch: Arch;
  threads: number;
  latent: number;
  secondsPerEpoch: number;
  epochSeconds: number[];
  peakRssMb: number;
  note?: string;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Multiply-adds per image of each layer's forward pass (convAutoencoder.ts for conv). */
function macsPerImage(arch: Arch, latent: number): number[] {
  if (arch === 'conv') {
    const [enc1, enc2] = [14 * 14 * 9 * 1 * 16, 7 * 7 * 9 * 16 * 32]; // a transposed conv costs what its mirror conv does
    return [enc1, enc2, 7 * 7 * 32 * latent, latent * 7 * 7 * 32, enc2, enc1];
  }
  const sizes = [IMAGE_SIZE, ...HIDDEN_UNITS, latent, ...[...HIDDEN_UNITS].reverse(), IMAGE_SIZE];
  return sizes.slice(1).map((out, i) => sizes[i] * out);
}

/**
 * Floating-point operations of one training epoch: forward 2 per multiply-add, backward twice that, less
 * the gradient with respect to the input images, which nobody needs.
 */
function flopsPerEpoch(arch: Arch, latent: number): number {
  const macs = macsPerImage(arch, latent);
  return TRAIN_IMAGES * 2 * (3 * macs.reduce((a, b) => a + b, 0) - macs[0]);
}

const emit = (obj: object) => process.stdout.write(`${JSON.stringify(obj)}\n`);

function engineName(info: BackendInfo): string {
  if (info.onnx) {
    const { provider, threads } = info.onnx;
    const device = info.device && !info.device.startsWith(provider) ? ` (${info.device})` : ''; // on CPU it only repeats the provider
    return `onnxruntime ${provider}, ${threads} thread${threads > 1 ? 's' : ''}${device}`;
  }
  return `tfjs ${info.chosen}${info.device ? ` (${info.device})` : ''}`;
}

/**
 * One engine configuration, in a child process, speaking bench_torch.py's protocol: a JSON line when
 * set up, then for each epoch a line from stdin ("go") before it and a JSON line after it, the row last.
 */
async function engineChild(backend: BackendPreference, threads: number, latent: number, arch: Arch, epochs: number): Promise<void> {
  const info = await initBackend(backend, { threads });
  const images = info.chosen === 'cpu' ? CPU_IMAGES : TRAIN_IMAGES;
  const train = loadMnist('train', undefined, images);
  const test = loadMnist('test', undefined, 100);
  const config: AutoencoderConfig = { architecture: arch, latent, epochs: epochs + 1, batchSize: BATCH, learningRate: 1e-3, warmupSteps: 1000, outputInit: 'meanImage', trainImages: images, testImages: 100, seed: 1 };
  const gate = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  const warnings: string[] = [];
  const times: number[] = [];
  let started = 0;
  let ended = 0;
  const go = async () => {
    if ((await gate.next()).done) process.exit(0);
    started = performance.now();
  };
  emit({ ready: true });
  await go(); // the warm-up epoch's time includes the trainer's setup
  await trainAutoencoder(
    config,
    train,
    test,
    {
      signal: new AbortController().signal,
      onBatch: (_epoch, batch, batches) => {
        if (batch === batches) ended = performance.now();
      },
      onEpoch: async ({ epoch }) => {
        const seconds = ((ended - started) / 1000) * (TRAIN_IMAGES / images);
        if (epoch > 1) times.push(seconds);
        emit({ epoch: epoch - 1, seconds });
        if (epoch <= epochs) await go();
      },
      // Collapse is about what the model learnt (on a slice, it often does), not about its speed.
      onWarning: (message) => !message.includes('collapsed') && warnings.push(message),
    },
  );
  const notes = [...warnings, ...(images < TRAIN_IMAGES ? [`scaled from ${images} images`] : [])];
  emit({
    engine: engineName(info),
    arch,
    latent,
    threads: info.onnx?.threads ?? 1, // tfjs's wasm and cpu backends train on one thread
    secondsPerEpoch: median(times),
    epochSeconds: times,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    note: notes.join('; ') || undefined,
  } satisfies Row);
  process.exit(0); // stdout is a pipe, written synchronously; nothing else is left to wait for
}

/** A configuration's process, driven epoch by epoch; its JSON lines are read from stdout, anything else there goes to stderr. */
class Measured {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterator<string>;
  private readonly closed: Promise<void>;
  private stderr = '';

  constructor(
    readonly label: string,
    command: string,
    args: string[],
  ) {
    this.child = spawn(command, args, { stdio: 'pipe' });
    this.child.stderr.on('data', (data) => (this.stderr = (this.stderr + data).slice(-20000)));
    this.child.on('error', (err) => (this.stderr += `\n${err.message}`));
    this.child.stdin.on('error', () => undefined); // a dead child is reported by next()
    this.closed = new Promise((resolve) => this.child.on('close', () => resolve()));
    this.lines = readline.createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }

  async next(): Promise<Record<string, unknown>> {
    for (;;) {
      const { value, done } = await this.lines.next();
      if (done) {
        await this.closed;
        const lines = this.stderr.trim().split('\n');
        throw new Error(lines.find((line) => /\b\w*Error\b/.test(line)) ?? lines.at(-1) ?? `exited with ${this.child.exitCode}`);
      }
      if (value.startsWith('{')) return JSON.parse(value);
      process.stderr.write(`${this.label}: ${value}\n`);
    }
  }

  /** Starts the next epoch and waits for it. */
  async epoch(): Promise<number> {
    this.child.stdin.write('go\n');
    return (await this.next()).seconds as number;
  }

  async row(): Promise<Row> {
    this.child.stdin.end();
    return (await this.next()) as unknown as Row;
  }

  kill(): void {
    this.child.kill();
  }
}

/** python3 that imports torch ≥ 2 and numpy, or why there is none. */
function torchPython(): { python: string } | { missing: string } {
  const check = (python: string) => {
    const out = spawnSync(python, ['-c', 'import numpy, torch; print(torch.__version__)'], { encoding: 'utf8' });
    if (out.status !== 0) return { missing: `${python} cannot import torch and numpy` };
    if (Number(out.stdout.split('.')[0]) < 2) return { missing: `${python} has PyTorch ${out.stdout.trim()}, older than 2` };
    return { python };
  };
  const chosen = process.env.ASSIGNMENT2_TORCH_PYTHON;
  if (chosen) return check(chosen);
  const python = path.join(TORCH_VENV, 'bin', 'python');
  if (fs.existsSync(python) && 'python' in check(python)) return { python };
  console.error(`Installing PyTorch into ${path.relative(process.cwd(), TORCH_VENV)} (pip install torch numpy)…`);
  const venv = spawnSync('python3', ['-m', 'venv', TORCH_VENV], { stdio: ['ignore', 2, 2] });
  if (venv.status !== 0) return { missing: `\`python3 -m venv\` failed (on Debian: apt-get install python3-venv)` };
  // A short timeout and no retries: an index that cannot be reached (machines with a local wheel store
  // configured beside PyPI) costs seconds instead of minutes, and a live one still answers within it.
  const pip = spawnSync(python, ['-m', 'pip', 'install', '--timeout', '10', '--retries', '0', 'torch', 'numpy'], { stdio: ['ignore', 2, 2] });
  if (pip.status !== 0) return { missing: `pip install torch numpy failed in ${TORCH_VENV}` };
  return check(python);
}

interface Group {
  threads: number;
  latent: number;
  configs: { label: string; command: string; args: string[] }[];
}

/** Runs a group's processes in turns: each epoch of each in turn, starting one later every round. */
async function runGroup(group: Group, epochs: number, arch: Arch): Promise<Row[]> {
  const running = group.configs.map((c) => ({ measured: new Measured(c.label, c.command, c.args), failed: undefined as string | undefined }));
  const attempt = async (entry: (typeof running)[number], work: (m: Measured) => Promise<unknown>) => {
    if (entry.failed) return;
    try {
      await work(entry.measured);
    } catch (err) {
      entry.failed = (err as Error).message;
      entry.measured.kill();
    }
  };
  await Promise.all(running.map((entry) => attempt(entry, (m) => m.next())));
  for (let round = 0; round <= epochs; round++) {
    for (let i = 0; i < running.length; i++) {
      const entry = running[(i + round) % running.length];
      await attempt(entry, async (m) => {
        const seconds = await m.epoch();
        console.error(`  ${m.label}: ${round ? `epoch ${round}` : 'warm-up'} ${seconds.toFixed(1)} s`);
      });
    }
  }
  const rows: Row[] = [];
  for (const entry of running) {
    let row: Row | undefined;
    await attempt(entry, async (m) => (row = await m.row()));
    rows.push(row ?? { engine: entry.measured.label, arch, threads: group.threads, latent: group.latent, secondsPerEpoch: NaN, epochSeconds: [], peakRssMb: NaN, note: `failed: ${entry.failed}` });
  }
  return rows;
}

const list = (value: string) => value.split(',').map((s) => s.trim()).filter(Boolean);

async function main() {
  const { values } = parseArgs({
    options: {
      backends: { type: 'string', default: 'onnxruntime,wasm' },
      threads: { type: 'string', default: '1,2' },
      latents: { type: 'string', default: '2,16,256' },
      epochs: { type: 'string', default: '3' },
      arch: { type: 'string', default: 'dense' },
      'torch-adam': { type: 'string', default: 'default,fused' },
      json: { type: 'boolean', default: false },
      child: { type: 'string' },
      latent: { type: 'string' },
    },
  });
  const epochs = Number(values.epochs);
  const arch = values.arch as Arch;
  if (!ARCHITECTURES.includes(arch)) throw new Error(`--arch must be one of ${ARCHITECTURES.join(', ')}`);
  if (values.child) return engineChild(values.child as BackendPreference, Number(values.threads), Number(values.latent), arch, epochs);

  const torch = torchPython();
  if ('missing' in torch) {
    const fix = process.env.ASSIGNMENT2_TORCH_PYTHON ? 'point ASSIGNMENT2_TORCH_PYTHON at a python3 that has them' : `set ASSIGNMENT2_TORCH_PYTHON to a python3 with torch ≥ 2 and numpy, or delete ${TORCH_VENV} and run again`;
    console.error(`No PyTorch ≥ 2 to compare with (${torch.missing}): the engine rows only. To compare, ${fix}.`);
  }
  const groups: Group[] = list(values.latents).flatMap((latentText) =>
    list(values.threads).map((threadsText) => {
      const [latent, threads] = [Number(latentText), Number(threadsText)];
      const shared = ['--latent', String(latent), '--threads', String(threads), '--arch', arch, '--epochs', String(epochs)];
      // Only ONNX Runtime takes a thread count: the tfjs backends run once per latent, at the first one.
      const threaded = (backend: string) => backend === 'auto' || backend.startsWith('onnxruntime');
      const backends = list(values.backends).filter((b) => threaded(b) || threadsText === list(values.threads)[0]);
      const engines = backends.map((backend) => ({
        label: `${backend}${threaded(backend) ? `, ${threads} thread${threads > 1 ? 's' : ''}` : ''}, L = ${latent}`,
        command: process.execPath,
        args: [...process.execArgv, __filename, '--child', backend, ...shared],
      }));
      const torches = 'python' in torch
        ? list(values['torch-adam']).map((adam) => ({ label: `PyTorch Adam ${adam}, ${threads} thread${threads > 1 ? 's' : ''}, L = ${latent}`, command: torch.python, args: [path.join(__dirname, 'bench_torch.py'), defaultMnistDir(), ...shared, '--adam', adam, '--gated'] }))
        : [];
      return { threads, latent, configs: [...engines, ...torches] };
    }),
  );

  const rows: (Row & { peer: string; vsTorch?: number; gflops: number })[] = [];
  for (const group of groups) {
    console.error(`${arch}, L = ${group.latent}, ${group.threads} thread${group.threads > 1 ? 's' : ''}:`);
    const measured = await runGroup(group, epochs, arch);
    const peers = measured.filter((r) => r.engine.startsWith('PyTorch') && Number.isFinite(r.secondsPerEpoch));
    const fastest = peers.reduce<Row | undefined>((best, r) => (!best || r.secondsPerEpoch < best.secondsPerEpoch ? r : best), undefined);
    for (const r of measured) {
      const isTorch = r.engine.startsWith('PyTorch');
      rows.push({
        ...r,
        gflops: flopsPerEpoch(arch, r.latent) / r.secondsPerEpoch / 1e9,
        peer: isTorch ? (r === fastest ? 'fastest PyTorch' : '') : '',
        vsTorch: fastest && !isTorch ? r.secondsPerEpoch / fastest.secondsPerEpoch : undefined,
      });
    }
    if ('missing' in torch) rows.push({ engine: 'PyTorch', arch, threads: group.threads, latent: group.latent, secondsPerEpoch: NaN, epochSeconds: [], peakRssMb: NaN, gflops: NaN, peer: '', note: `not measured: ${torch.missing}` });
  }

  if (values.json) {
    for (const r of rows) emit(r);
    return;
  }
  const width = Math.max(6, ...rows.map((r) => r.engine.length));
  const fixed = (value: number, digits: number, pad: number) => (Number.isFinite(value) ? value.toFixed(digits) : '–').padStart(pad);
  console.log(`${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} CPUs: ${os.cpus()[0]?.model ?? 'unknown'}, Node ${process.version}; ${arch} model, median of ${epochs} epochs after a warm-up epoch`);
  console.log(`${'engine'.padEnd(width)} threads latent  s/epoch  fastest  images/s  GFLOP/s  peak RSS MB  vs PyTorch  note`);
  for (const r of rows) {
    const ratio = r.vsTorch !== undefined ? `${r.vsTorch.toFixed(2)}×` : r.peer ? '1' : '';
    console.log(
      `${r.engine.padEnd(width)} ${String(r.threads).padStart(7)} ${String(r.latent).padStart(6)} ${fixed(r.secondsPerEpoch, 2, 8)} ${fixed(Math.min(...r.epochSeconds), 2, 8)} ${fixed(TRAIN_IMAGES / r.secondsPerEpoch, 0, 9)} ` +
        `${fixed(r.gflops, 1, 8)} ${fixed(r.peakRssMb, 0, 12)} ${ratio.padStart(11)}  ${[r.peer, r.note].filter(Boolean).join('; ')}`,
    );
  }
  console.log(`(fastest: the quickest epoch, nearest to what a configuration does on a machine that leaves it alone. vs PyTorch: s/epoch over the fastest PyTorch row's at the same threads and latent. GFLOP/s counts ${(flopsPerEpoch(arch, 16) / 1e12).toFixed(3)} TFLOP per epoch at L = 16: forward, and backward without the gradient for the input images.)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
