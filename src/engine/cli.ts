/**
 * `assignment2`: the engine as a command line, producing the same run folders as the extension.
 * Exit codes: 0 success, 1 the job failed, 2 bad arguments, 130 cancelled with Ctrl+C.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { AutoencoderConfig, BackendInfo, BackendPreference, EngineEvent } from '../shared/protocol';
import { initBackend } from './backend';
import { runJob } from './jobs/runJob';

const HELP = `assignment2 — the Assignment 2 workbench engine, headless

Usage: assignment2 <command> [options]

Commands:
  info                 Show the TensorFlow.js backend that would be used, why, and versions.
  train                Train one dense MNIST autoencoder (784-512-128-L-128-512-784, L1 loss, Adam)
                       and save it as a run folder.
  help                 Show this help.

Options (all commands):
  --backend <name>     auto | tensorflow-gpu | tensorflow | webgpu | wasm | cpu   (default: auto)
  --json               Print the result as one JSON object on stdout (progress goes to stderr).
  --runs-dir <dir>     Where run folders go (default: ./.assignment2/runs).

Options (train):
  --latent <n>         Latent size (default 16)
  --epochs <n>         Epochs (default 5)
  --batch-size <n>     Mini-batch size (default 256)
  --lr <x>             Adam learning rate (default 0.001)
  --train-images <n>   Training images, 1–60000 (default 60000)
  --test-images <n>    Test images, 1–10000 (default 10000)
  --seed <n>           Random seed (default 1)
`;

export const DEFAULT_AUTOENCODER: AutoencoderConfig = {
  latent: 16,
  epochs: 5,
  batchSize: 256,
  learningRate: 0.001,
  trainImages: 60000,
  testImages: 10000,
  seed: 1,
};

class UsageError extends Error {}

const FLAG_OF: Record<keyof AutoencoderConfig, string> = {
  latent: '--latent',
  epochs: '--epochs',
  batchSize: '--batch-size',
  learningRate: '--lr',
  trainImages: '--train-images',
  testImages: '--test-images',
  seed: '--seed',
};

function number(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`${flag} must be a number, got "${text}".`);
  return value;
}

function autoencoderConfig(values: Record<string, string | boolean | undefined>): AutoencoderConfig {
  const candidate: Record<string, number | undefined> = { ...DEFAULT_AUTOENCODER };
  for (const [key, flag] of Object.entries(FLAG_OF)) {
    const given = number(flag, values[flag.slice(2)] as string | undefined);
    if (given !== undefined) candidate[key] = given;
  }
  const parsed = AutoencoderConfig.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const flag = FLAG_OF[issue.path[0] as keyof AutoencoderConfig];
    throw new UsageError(`${flag} ${candidate[issue.path[0] as string]} is not allowed: ${issue.message}.`);
  }
  return parsed.data;
}

function describeBackend(info: BackendInfo): string {
  const lines = [`Backend: ${info.chosen}${info.device ? ` (${info.device})` : ''}`];
  for (const c of info.candidates) lines.push(`  ${c.name.padEnd(15)} ${c.status.padEnd(12)} ${c.reason}`);
  lines.push(`Versions: ${Object.entries(info.versions).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  return lines.join('\n');
}

/** Live progress on a terminal; on a pipe or log file, one line every 15 s and one per epoch. */
function progressPrinter(): (event: EngineEvent) => void {
  const tty = process.stderr.isTTY === true;
  let lastLine = 0;
  return (event) => {
    if (event.type === 'progress') {
      const now = Date.now();
      if (now - lastLine < (tty ? 250 : 15_000)) return;
      lastLine = now;
      const text = `epoch ${event.epoch}/${event.epochs}  batch ${event.batch}/${event.batches}  L1 ${event.loss.toFixed(4)}`;
      process.stderr.write(tty ? `\r${text}   ` : `${text}\n`);
    } else if (event.type === 'epoch') {
      const m = event.metrics;
      process.stderr.write(`${tty ? '\r' : ''}epoch ${m.epoch}: train L1 ${m.trainL1.toFixed(4)}  test L1 ${m.testL1.toFixed(4)}  ${m.seconds.toFixed(1)} s   \n`);
    } else if (event.type === 'log' || event.type === 'error') {
      process.stderr.write(`${event.message}\n`);
    } else if (event.type === 'jobStarted') {
      process.stderr.write(`Run ${event.runId} in ${event.runDir}\n`);
    }
  };
}

export async function main(argv: string[]): Promise<number> {
  const [command = 'help', ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(HELP);
    return 0;
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: rest,
      strict: true,
      options: {
        backend: { type: 'string' },
        json: { type: 'boolean' },
        'runs-dir': { type: 'string' },
        ...(command === 'train' ? Object.fromEntries(Object.values(FLAG_OF).map((f) => [f.slice(2), { type: 'string' as const }])) : {}),
      },
    }));
    if (command !== 'info' && command !== 'train') throw new UsageError(`Unknown command "${command}". Run "assignment2 --help".`);
  } catch (err) {
    process.stderr.write(`assignment2: ${(err as Error).message}\n`);
    return 2;
  }

  try {
    const backend = BackendPreference.safeParse(values.backend ?? 'auto');
    if (!backend.success) throw new UsageError(`--backend must be one of ${BackendPreference.options.join(', ')}; got "${values.backend}".`);
    const json = values.json === true;

    if (command === 'info') {
      const info = await initBackend(backend.data);
      process.stdout.write(json ? JSON.stringify(info, null, 2) + '\n' : describeBackend(info) + '\n');
      return 0;
    }

    const config = autoencoderConfig(values);
    const controller = new AbortController();
    process.once('SIGINT', () => {
      process.stderr.write('\nCancelling after the current batch…\n');
      controller.abort();
    });
    const runsDir = path.resolve((values['runs-dir'] as string | undefined) ?? path.join('.assignment2', 'runs'));
    const record = await runJob({ kind: 'trainAutoencoder', config }, {
      jobId: 'cli',
      runsDir,
      backend: backend.data,
      signal: controller.signal,
      emit: progressPrinter(),
    });
    const runDir = path.join(runsDir, record.id);
    if (json) process.stdout.write(JSON.stringify({ runId: record.id, runDir, status: record.status, backend: record.backend, config, summary: record.summary }, null, 2) + '\n');
    else process.stderr.write(`${record.status}: test L1 ${record.summary?.finalTestL1?.toFixed(4) ?? '—'} after ${record.summary?.epochsCompleted ?? 0} epochs. Run folder: ${runDir}\n`);
    return record.status === 'cancelled' ? 130 : 0;
  } catch (err) {
    process.stderr.write(`assignment2: ${(err as Error).message}\n`);
    return err instanceof UsageError ? 2 : 1;
  }
}
