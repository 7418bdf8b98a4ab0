/**
 * `assignment2`: the engine as a command line, producing the same run folders as the extension.
 * Exit codes: 0 success, 1 the job failed, 2 bad arguments, 130 cancelled with Ctrl+C.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { AdversarialFields, AutoencoderConfig, BlurConfig, DisNetConfig, SHARPEN_MODES } from '../shared/jobs/specs';
import { BackendInfo, BackendPreference } from '../shared/backends';
import { Q1Params } from '../shared/q1/params';
import { Q2aSeedRow, Q2bSeedRow, Spread } from '../runs/schema';
import { ReportSummary } from './report/schema';
import { DEFAULT_BLUR } from './data/gaussian';
import { meanSd } from '../shared/format';
import { buildLandscape } from '../shared/q1/landscape';
import { OPTIMIZER_NAMES } from '../shared/q1/optimizers';
import { describeOutcome } from '../shared/q1/report';
import { DEFAULT_Q1_PARAMS, Q1Study } from '../shared/q1/study';
import { initBackend } from './backend';
import { Q1_ANSWER_FILE, Q1_STUDY_FILE } from '../runs/files';
import { runJob } from './jobs/runJob';
import { Q2aResult, runQ2a } from './jobs/q2a';
import { Q2bResult, q2bComplete, runQ2b } from './jobs/q2b';
import { DEFAULT_RECIPES, DEFAULT_SHARPEN_EPOCHS, SharpenRecipe } from '../shared/q2b/defaults';
import { AllOptions, answerAll, planAll } from './jobs/all';
import { clock, progressPrinter } from './cliProgress';
import { exportReport } from './report/exportReport';
import { collectReportInputs } from './report/inputs';
import { q2aSeeds, q2bSeeds } from '../runs/seeds';
import { RunStore, readRunRecord } from '../runs/store';
import { packageVersions } from './versions';

const HELP = `assignment2 — the Assignment 2 workbench engine, headless

Usage: assignment2 <command> [options]

Commands:
  all                  The whole assignment: Q1, Q2a and Q2b on the defaults, then the report folder
                       (report.md, figures, results.json, CSV files). Reuses finished runs.
  report               Write the report folder from the newest finished runs of each part.
  info                 Show the backend (and ONNX Runtime's provider) that would be used, why, and versions.
  train                Train one dense MNIST autoencoder (784-512-128-L-128-512-784, L1 loss, Adam)
                       and save it as a run folder.
  q1                   Q1: gradient descent against Adam on the bump landscape; saves the study as a
                       run and prints the answers to parts (1) and (2).
  disnet               Q2b: train dis_net, the blur discriminator (clear vs Gaussian-blurred MNIST),
                       and report its test accuracy and confusion matrix.
  q2b                  Q2b: dis_net, then autoencoders trained with L1 + lambda × dis_net loss, compared
                       with the Q2a autoencoders (test L1, sharpness, dis_net's clear score, K-means).
  q2a                  Q2a: one autoencoder per latent size, each analysed (K-means, projection,
                       sharpness, reconstructions), compared with K-means on raw pixels.
  help                 Show this help.

Options (all commands):
  --json               Print the result as one JSON object on stdout (progress goes to stderr).
  --runs-dir <dir>     Where run folders go (default: ./.assignment2/runs).
  --backend <name>     auto | onnxruntime | onnxruntime-<cuda|dml|webgpu|cpu> | tensorflow-gpu |
                       tensorflow | webgpu | wasm | cpu   (default: auto: ONNX Runtime, else tfjs)
  --threads <n>        ONNX Runtime's threads (default: every core)

Options (train):
  --architecture <a>   dense (784-512-128-L-128-512-784) or conv (small convolutional) [dense]
  --latent <n>         Latent size (default 16)
  --epochs <n>         Epochs (default 6)
  --batch-size <n>     Mini-batch size (default 256)
  --lr <x>             Adam learning rate (default 0.003)
  --warmup-steps <n>   Steps over which the rate ramps up from 0 (default 300; 0: none)
  --train-images <n>   Training images, 1–60000 (default 60000)
  --test-images <n>    Test images, 1–10000 (default 10000)
  --seed <n>           Random seed (default 1)

Options (q2a): the train options, and
  --latent <list>      Latent sizes, comma-separated [2,16,256]
  --reuse              Reuse a completed run with the same configuration instead of training again.
  --seeds <list>       Run once per seed (e.g. 1,2,3,4) and print the mean and spread over seeds;
                       also for q2b and all, whose report then has tables over seeds.

Options (q2b): the q2a options, and
  --mode <m>           frozen (dis_net fixed, the assignment's recipe) | alternating (dis_net keeps
                       learning, with (b)'s reconstructions as "not clear") | both [both]
  --lambda <x>         Weight of the dis_net loss [frozen 0.1, alternating 0.005]
  --disnet-lr <x>      Alternating: Adam's rate for dis_net's updates [0.0003]
  --clear-label <x>    Alternating: target for clear images in those updates, 0.5–1 [0.9]
  --from-scratch       Start (b) from a fresh initialisation instead of the matching Q2a run.
  --b-epochs <n>       Epochs of (b) [2 on top of (a); with --from-scratch, --epochs]
  --sigma <x>          Blur sigma of dis_net [1]
  --fresh              Train everything again instead of reusing finished runs.

Options (all): the q2b options, and
  --out <dir>          Where the report folder goes [assignment2-report]

Options (report):
  --out <dir>          Where the report folder goes [assignment2-report]

Options (disnet), defaults in brackets:
  --sigma <x>          Blur sigma [1]            --kernel-size <n>  Odd, or 0 for 2·⌈3σ⌉+1 [0]
  --epochs <n> [2]  --batch-size <n> [256]  --lr <x> [0.001]  --train-images <n>  --test-images <n>  --seed <n>

Options (q1), defaults in brackets:
  --start <x>          Start o [0]            --L <x>              Position of the local minimum [1]
  --approach-slope <s> Slope magnitude before the minimum [1]
  --h <x>              Bump parameter h [0.5] --bump-width <x|auto> Bump width [auto: 2h, or h]
  --after-slope <s>    Slope magnitude after the bump, negative = rising [1]
  --reading <r>        h-high-2h-wide | h-wide-2h-high [h-high-2h-wide]
  --lr <x>             Learning rate a [0.3]  --beta1 <x> [0.9]    --beta2 <x> [0.999]   --eps <x> [0]
  --momentum <x>       Momentum SGD coefficient [0.9]              --rho <x>  RMSProp decay [0.9]
  --steps <n>          Simulation horizon [3000]
`;

/** Q2a trains three models: 6 epochs each keeps all three, analysed, under 10 minutes on 2 cores. */
export const DEFAULT_AUTOENCODER: AutoencoderConfig = {
  architecture: 'dense',
  latent: 16,
  epochs: 6,
  batchSize: 256,
  learningRate: 0.003,
  warmupSteps: 300,
  outputInit: 'meanImage',
  trainImages: 60000,
  testImages: 10000,
  seed: 1,
};

class UsageError extends Error {}

/** A flag and where its value goes in the command's configuration object. */
type FlagTable = Record<string, { path: string[]; kind: 'number' | 'string' | 'number-or-auto' }>;

const TRAIN_FLAGS: FlagTable = {
  '--architecture': { path: ['architecture'], kind: 'string' },
  '--latent': { path: ['latent'], kind: 'number' },
  '--epochs': { path: ['epochs'], kind: 'number' },
  '--batch-size': { path: ['batchSize'], kind: 'number' },
  '--lr': { path: ['learningRate'], kind: 'number' },
  '--warmup-steps': { path: ['warmupSteps'], kind: 'number' },
  '--train-images': { path: ['trainImages'], kind: 'number' },
  '--test-images': { path: ['testImages'], kind: 'number' },
  '--seed': { path: ['seed'], kind: 'number' },
};

const Q1_FLAGS: FlagTable = {
  '--start': { path: ['landscape', 'start'], kind: 'number' },
  '--L': { path: ['landscape', 'L'], kind: 'number' },
  '--approach-slope': { path: ['landscape', 'approachSlope'], kind: 'number' },
  '--h': { path: ['landscape', 'h'], kind: 'number' },
  '--bump-width': { path: ['landscape', 'bumpWidth'], kind: 'number-or-auto' },
  '--after-slope': { path: ['landscape', 'afterSlope'], kind: 'number' },
  '--reading': { path: ['landscape', 'reading'], kind: 'string' },
  '--lr': { path: ['optimizers', 'lr'], kind: 'number' },
  '--beta1': { path: ['optimizers', 'beta1'], kind: 'number' },
  '--beta2': { path: ['optimizers', 'beta2'], kind: 'number' },
  '--eps': { path: ['optimizers', 'eps'], kind: 'number' },
  '--momentum': { path: ['optimizers', 'momentum'], kind: 'number' },
  '--rho': { path: ['optimizers', 'rho'], kind: 'number' },
  '--steps': { path: ['optimizers', 'steps'], kind: 'number' },
};

const DISNET_FLAGS: FlagTable = {
  '--sigma': { path: ['blur', 'sigma'], kind: 'number' },
  '--kernel-size': { path: ['blur', 'kernelSize'], kind: 'number' },
  '--epochs': { path: ['epochs'], kind: 'number' },
  '--batch-size': { path: ['batchSize'], kind: 'number' },
  '--lr': { path: ['learningRate'], kind: 'number' },
  '--train-images': { path: ['trainImages'], kind: 'number' },
  '--test-images': { path: ['testImages'], kind: 'number' },
  '--seed': { path: ['seed'], kind: 'number' },
};

export const DEFAULT_DISNET: DisNetConfig = {
  blur: DEFAULT_BLUR,
  epochs: 2,
  batchSize: 256,
  learningRate: 0.001,
  trainImages: 60000,
  testImages: 10000,
  seed: 1,
};

const SHARPEN_FLAGS: FlagTable = {
  '--lambda': { path: ['lambda'], kind: 'number' },
  '--mode': { path: ['mode'], kind: 'string' },
  '--disnet-lr': { path: ['disNetLearningRate'], kind: 'number' },
  '--clear-label': { path: ['clearLabel'], kind: 'number' },
  '--sigma': { path: ['sigma'], kind: 'number' },
  '--b-epochs': { path: ['epochs'], kind: 'number' },
};
const Q2B_FLAGS: FlagTable = { ...TRAIN_FLAGS, ...SHARPEN_FLAGS };
const REPORT_FLAGS: FlagTable = { '--out': { path: ['out'], kind: 'string' } };

const COMMAND_FLAGS: Record<string, FlagTable> = {
  info: {},
  train: TRAIN_FLAGS,
  q1: Q1_FLAGS,
  q2a: TRAIN_FLAGS,
  q2b: Q2B_FLAGS,
  all: { ...Q2B_FLAGS, ...REPORT_FLAGS },
  report: REPORT_FLAGS,
  disnet: DISNET_FLAGS,
};

const SharpenFlags = z
  .object({
    lambda: AdversarialFields.shape.lambda.optional(),
    mode: z.enum([...SHARPEN_MODES, 'both']),
    disNetLearningRate: AdversarialFields.shape.disNetLearningRate,
    clearLabel: AdversarialFields.shape.clearLabel,
    sigma: BlurConfig.shape.sigma,
    epochs: AutoencoderConfig.shape.epochs.optional(),
  })
  .refine((flags) => flags.mode !== 'frozen' || (flags.disNetLearningRate === undefined && flags.clearLabel === undefined), {
    message: '--disnet-lr and --clear-label apply only to the alternating mode',
    path: ['mode'],
  });

/** The (b) recipes the flags ask for: each mode's defaults, with the flags given over them. */
function recipesFrom(flags: z.infer<typeof SharpenFlags>): SharpenRecipe[] {
  const modes = flags.mode === 'both' ? SHARPEN_MODES : [flags.mode];
  return modes.map((mode) => ({
    ...DEFAULT_RECIPES[mode],
    ...(flags.lambda !== undefined ? { lambda: flags.lambda } : {}),
    ...(mode === 'alternating' && flags.disNetLearningRate !== undefined ? { disNetLearningRate: flags.disNetLearningRate } : {}),
    ...(mode === 'alternating' && flags.clearLabel !== undefined ? { clearLabel: flags.clearLabel } : {}),
  }));
}
const ReportFlags = z.object({ out: z.string().min(1) });
const DEFAULT_REPORT_DIR = 'assignment2-report';

export const Q2A_LATENTS = [2, 16, 256];

function parseValue(flag: string, kind: FlagTable[string]['kind'], text: string): unknown {
  if (kind === 'string') return text;
  if (kind === 'number-or-auto' && text === 'auto') return null;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`${flag} must be a number${kind === 'number-or-auto' ? ' or "auto"' : ''}, got "${text}".`);
  return value;
}

/** Applies the given flags over the defaults and validates the result, naming the flag at fault. */
function configFromFlags<T>(schema: z.ZodType<T>, defaults: T, flags: FlagTable, values: Record<string, unknown>): T {
  const candidate = structuredClone(defaults) as Record<string, unknown>;
  for (const [flag, spec] of Object.entries(flags)) {
    const text = values[flag.slice(2)];
    if (typeof text !== 'string') continue;
    let target = candidate;
    for (const key of spec.path.slice(0, -1)) target = target[key] as Record<string, unknown>;
    target[spec.path.at(-1)!] = parseValue(flag, spec.kind, text);
  }
  const parsed = schema.safeParse(candidate);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue.path.join('.');
  const flag = Object.entries(flags).find(([, spec]) => spec.path.join('.') === where)?.[0] ?? where;
  const given = values[flag.slice(2)];
  const shown = typeof given === 'string' ? ` ${given || '""'}` : ` (default ${JSON.stringify(issue.path.reduce<unknown>((o, k) => (o as Record<PropertyKey, unknown>)[k], candidate))})`;
  throw new UsageError(`${flag}${shown} is not allowed: ${issue.message}.`);
}

function latentList(text: unknown): number[] {
  if (typeof text !== 'string') return Q2A_LATENTS;
  const latents = text.split(',').map((part) => Number(part.trim()));
  const bad = latents.find((l) => !AutoencoderConfig.shape.latent.safeParse(l).success);
  if (bad !== undefined || latents.length === 0) throw new UsageError(`--latent ${text} is not allowed: give whole numbers from 1 to 4096, separated by commas.`);
  return latents;
}

/** --seeds: the same experiment once per seed, for the spread of its figures. */
function seedList(text: unknown, command: string, seed: unknown): number[] | undefined {
  if (text === undefined) return undefined;
  if (!['q2a', 'q2b', 'all'].includes(command)) throw new UsageError('--seeds applies to q2a, q2b and all.');
  if (seed !== undefined) throw new UsageError('Give --seed or --seeds, not both.');
  const parts = String(text).split(',').map((part) => part.trim());
  const seeds = parts.map(Number);
  if (parts.some((part) => !/^\d+$/.test(part)) || seeds.some((s) => !AutoencoderConfig.shape.seed.safeParse(s).success) || new Set(seeds).size !== seeds.length) {
    throw new UsageError(`--seeds ${text} is not allowed: give different whole numbers from 0 to 4294967295, separated by commas.`);
  }
  return seeds;
}

/** q2b's and all's configurations with another seed: every autoencoder, dis_net and so the judge. */
function withSeed<T extends Pick<AllOptions, 'autoencoders' | 'disNet'>>(options: T, seed: number): T {
  return { ...options, autoencoders: options.autoencoders.map((c) => ({ ...c, seed })), disNet: { ...options.disNet, seed } };
}

function describeSpread(label: string, x: Spread, digits: number): string {
  return `${label} ${meanSd(x, digits)}`;
}

function describeQ2aSeeds(rows: Q2aSeedRow[]): string {
  return rows
    .map((r) => `L=${String(r.latent).padEnd(4)} seeds ${r.seeds.join(',')}: ${describeSpread('test L1', r.testL1, 4)}  ${describeSpread('K-means acc', r.kmeansAccuracy, 3)}  ${describeSpread('NMI', r.kmeansNmi, 3)}  collapsed ${r.collapsed}/${r.seeds.length}`)
    .join('\n');
}

function describeQ2bSeeds(rows: Q2bSeedRow[]): string {
  return rows
    .map((r) => `L=${String(r.latent).padEnd(4)} ${r.model} seeds ${r.seeds.join(',')}: ${describeSpread('test L1', r.testL1, 4)}  ${describeSpread('|1 − sharpness|', r.sharpnessDistance, 3)}  ${describeSpread('judge', r.judgeClearScore, 3)}  collapsed ${r.collapsed}/${r.seeds.length}`)
    .join('\n');
}

/** Q2b's figures over every seed on disk for the configurations of this result's (b) runs. */
function q2bSeedsOf(result: Q2bResult, runsDir: string): Q2bSeedRow[] {
  const configs = result.comparison.flatMap(({ b }) => {
    const { job } = readRunRecord(b.runDir);
    return job.kind === 'trainAutoencoder' ? [job.config] : [];
  });
  return q2bSeeds(new RunStore(runsDir).list(), configs);
}

function describeQ2a(result: Q2aResult): string {
  const rows = result.runs.map(
    (r) =>
      `L=${String(r.latent).padEnd(4)} ${r.status.padEnd(9)} test L1 ${r.testL1?.toFixed(4) ?? '—'}  sharpness ${r.sharpness?.toFixed(2) ?? '—'}  ` +
      `K-means acc ${r.kmeans?.accuracy.toFixed(3) ?? '—'} NMI ${r.kmeans?.nmi.toFixed(3) ?? '—'}${r.reused ? '  (reused)' : ''}  ${r.runDir}`,
  );
  for (const r of result.runs) {
    if (r.kmeansUmap) rows.push(`L=${String(r.latent).padEnd(4)} extra: K-means on a 2-D UMAP of the latents: acc ${r.kmeansUmap.accuracy.toFixed(3)} NMI ${r.kmeansUmap.nmi.toFixed(3)}`);
  }
  const b = result.baseline?.kmeans;
  if (b) rows.push(`pixels   K-means acc ${b.accuracy.toFixed(3)} NMI ${b.nmi.toFixed(3)} purity ${b.purity.toFixed(3)} ARI ${b.ari.toFixed(3)}`);
  return [...rows, '', ...result.observations].join('\n');
}

function describeBackend(info: BackendInfo): string {
  const lines = [`Backend: ${info.chosen}${info.device ? ` (${info.device})` : ''}`];
  for (const c of info.candidates) lines.push(`  ${c.name.padEnd(15)} ${c.status.padEnd(12)} ${c.reason}`);
  if (info.onnx) {
    lines.push(`ONNX Runtime's provider: ${info.onnx.provider}, ${info.onnx.threads} thread${info.onnx.threads === 1 ? '' : 's'} (tfjs ${info.onnx.tfjs} for model files)`);
    for (const c of info.onnx.providers) lines.push(`  ${c.name.padEnd(15)} ${c.status.padEnd(12)} ${c.reason}`);
  }
  lines.push(`Versions: ${Object.entries(info.versions).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  return lines.join('\n');
}

/** The Q1 study as JSON: per optimizer its verdict and trajectory (t, x, f), plus sweeps and answers. */
function q1Json(study: Q1Study, runDir: string) {
  const land = buildLandscape(study.params.landscape);
  const optimizer = (name: (typeof OPTIMIZER_NAMES)[number]) => {
    const { x, ...run } = study.runs[name];
    return {
      ...run,
      verdict: describeOutcome(study.runs[name]),
      maxEscapeHeight: study.maxEscape[name].h,
      // The bisection's last escaping and first stuck height, with their runs.
      maxEscape: study.maxEscape[name],
      trajectory: x.map((xt, t) => ({ t, x: xt, f: land.f(xt) })),
    };
  };
  return {
    runDir,
    params: study.params,
    landscape: study.landscape,
    ...Object.fromEntries(OPTIMIZER_NAMES.map((n) => [n, optimizer(n)])),
    sweepH: study.sweepH,
    sweepLr: study.sweepLr,
    answer: study.answer,
  };
}

/** The configurations of q2b and all: the training flags, the latent list and the (b) options. */
function q2bOptionsFrom(values: Record<string, unknown>): Pick<AllOptions, 'autoencoders' | 'disNet' | 'sharpen'> {
  const { '--latent': _, ...flags } = TRAIN_FLAGS;
  const shared = configFromFlags(AutoencoderConfig, DEFAULT_AUTOENCODER, flags, values);
  // Both modes by default, so that the report sets the literal recipe beside the one that keeps learning.
  const options = configFromFlags(SharpenFlags, { mode: 'both', sigma: 1 }, SHARPEN_FLAGS, values);
  const fromQ2a = values['from-scratch'] !== true;
  return {
    autoencoders: latentList(values.latent).map((latent) => ({ ...shared, latent })),
    disNet: { ...DEFAULT_DISNET, blur: { sigma: options.sigma, kernelSize: 0 }, trainImages: shared.trainImages, testImages: shared.testImages, seed: shared.seed },
    sharpen: { recipes: recipesFrom(options), fromQ2a, epochs: options.epochs ?? (fromQ2a ? DEFAULT_SHARPEN_EPOCHS : shared.epochs), reuse: values.fresh !== true },
  };
}

function describeReport(summary: ReportSummary): string {
  const lines = [`Report: ${summary.reportFile}`, `  ${summary.figures.length} figures, ${summary.tables.length} CSV tables, results.json`];
  if (summary.missing.length) lines.push('Missing parts:', ...summary.missing.map((m) => `  ${m.message}`), 'Run "npx assignment2 all" to produce them.');
  return lines.join('\n') + '\n';
}

export async function main(argv: string[]): Promise<number> {
  const [command = 'help', ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(HELP);
    return 0;
  }
  const flags = COMMAND_FLAGS[command];
  if (!flags) {
    process.stderr.write(`assignment2: unknown command "${command}". Run "assignment2 --help".\n`);
    return 2;
  }
  // parseArgs reads "--h -1" as two flags; a negative number after a value flag is its value.
  const args = rest.flatMap((arg, i) => (/^-\d|^-\.\d/.test(arg) && /^--[\w-]+$/.test(rest[i - 1] ?? '') ? [] : [
    /^--[\w-]+$/.test(arg) && /^-\d|^-\.\d/.test(rest[i + 1] ?? '') ? `${arg}=${rest[i + 1]}` : arg,
  ]));
  try {
    const { values } = parseArgs({
      args,
      strict: true,
      options: {
        backend: { type: 'string' },
        threads: { type: 'string' },
        json: { type: 'boolean' },
        reuse: { type: 'boolean' },
        'from-scratch': { type: 'boolean' },
        fresh: { type: 'boolean' },
        seeds: { type: 'string' },
        'runs-dir': { type: 'string' },
        ...Object.fromEntries(Object.keys(flags).map((f) => [f.slice(2), { type: 'string' as const }])),
      },
    });
    const backend = BackendPreference.safeParse(values.backend ?? 'auto');
    if (!backend.success) throw new UsageError(`--backend must be one of ${BackendPreference.options.join(', ')}; got "${values.backend}".`);
    if (values.threads !== undefined) {
      if (!/^\d+$/.test(values.threads) || Number(values.threads) < 1 || Number(values.threads) > 1024) throw new UsageError(`--threads must be a whole number from 1 to 1024; got "${values.threads}".`);
      process.env.ASSIGNMENT2_THREADS = values.threads; // read by the backend when it starts
    }
    const json = values.json === true;
    const seeds = seedList(values.seeds, command, (values as Record<string, unknown>).seed);
    const runsDir = path.resolve((values['runs-dir'] as string | undefined) ?? path.join('.assignment2', 'runs'));

    if (command === 'info') {
      const info = await initBackend(backend.data);
      process.stdout.write(json ? JSON.stringify(info, null, 2) + '\n' : describeBackend(info) + '\n');
      return 0;
    }

    const controller = new AbortController();
    process.once('SIGINT', () => {
      process.stderr.write('\nCancelling…\n');
      controller.abort();
    });
    const context = { jobId: 'cli', runsDir, backend: backend.data, signal: controller.signal, emit: progressPrinter() };

    if (command === 'q1') {
      const params = configFromFlags(Q1Params, DEFAULT_Q1_PARAMS, Q1_FLAGS, values);
      const record = await runJob({ kind: 'q1Study', params }, context);
      const runDir = path.join(runsDir, record.id);
      if (json) {
        const study = JSON.parse(fs.readFileSync(path.join(runDir, Q1_STUDY_FILE), 'utf8')) as Q1Study;
        process.stdout.write(JSON.stringify(q1Json(study, runDir), null, 2) + '\n');
      } else {
        process.stdout.write(fs.readFileSync(path.join(runDir, Q1_ANSWER_FILE), 'utf8'));
      }
      return 0;
    }

    if (command === 'disnet') {
      const config = configFromFlags(DisNetConfig, DEFAULT_DISNET, DISNET_FLAGS, values);
      const record = await runJob({ kind: 'trainDisNet', config }, context);
      const summary = record.summary?.kind === 'disnet' ? record.summary : undefined;
      const runDir = path.join(runsDir, record.id);
      if (json) process.stdout.write(JSON.stringify({ runId: record.id, runDir, status: record.status, config, testAccuracy: summary?.testAccuracy, confusion: summary?.confusion }, null, 2) + '\n');
      else {
        const [[cc, cb], [bc, bb]] = summary?.confusion ?? [[0, 0], [0, 0]];
        process.stdout.write(`${record.status}: test accuracy ${((summary?.testAccuracy ?? 0) * 100).toFixed(3)}% on ${config.testImages} clear + ${config.testImages} blurred test images\n` +
          `                 says clear  says blurred\n  clear        ${String(cc).padStart(10)}  ${String(cb).padStart(12)}\n  blurred      ${String(bc).padStart(10)}  ${String(bb).padStart(12)}\nRun folder: ${runDir}\n`);
      }
      return record.status === 'cancelled' ? 130 : 0;
    }

    if (command === 'q2b') {
      const base = q2bOptionsFrom(values);
      let result: Q2bResult | undefined;
      for (const seed of seeds ?? [base.autoencoders[0].seed]) {
        if (controller.signal.aborted) break;
        if (seeds) process.stderr.write(`Seed ${seed}\n`);
        const { autoencoders, disNet, sharpen } = withSeed(base, seed);
        result = await runQ2b(autoencoders, disNet, sharpen, context);
        if (!q2bComplete(result, autoencoders, sharpen)) return 130;
      }
      if (!result) return 130;
      const seedRows = q2bSeedsOf(result, runsDir);
      if (json) process.stdout.write(JSON.stringify({ ...result, seeds: seedRows }, null, 2) + '\n');
      else {
        const accuracy = (c: { testAccuracy?: number }) => `${((c.testAccuracy ?? 0) * 100).toFixed(3)}%`;
        const lines = [`dis_net ${result.disNet.runId}: test accuracy ${accuracy(result.disNet)}`, `judge ${result.judge.runId}: test accuracy ${accuracy(result.judge)}`, ...result.observations];
        if (seedRows.some((r) => r.seeds.length > 1)) lines.push('', 'Over seeds (mean ± sample standard deviation):', describeQ2bSeeds(seedRows));
        process.stdout.write(lines.join('\n') + '\n');
      }
      return 0;
    }

    if (command === 'report') {
      const { out } = configFromFlags(ReportFlags, { out: DEFAULT_REPORT_DIR }, REPORT_FLAGS, values);
      const summary = await exportReport(collectReportInputs(runsDir), out, {
        signal: controller.signal,
        backend: backend.data,
        versions: packageVersions(),
        command: 'npx assignment2 report',
        log: (message) => process.stderr.write(`${message}\n`),
      });
      process.stdout.write(json ? JSON.stringify(summary, null, 2) + '\n' : describeReport(summary));
      return 0;
    }

    if (command === 'all') {
      const { out } = configFromFlags(ReportFlags, { out: DEFAULT_REPORT_DIR }, REPORT_FLAGS, values);
      const base: AllOptions = { q1: DEFAULT_Q1_PARAMS, ...q2bOptionsFrom(values), outDir: out, command: ['npx assignment2 all', ...argv.slice(1)].join(' ') };
      // The report is made of the first seed's runs; the other seeds add their spread to its tables.
      const [first, ...others] = seeds ?? [base.autoencoders[0].seed];
      const options = withSeed(base, first);
      const started = Date.now();
      for (const seed of others) {
        if (controller.signal.aborted) break;
        const other = withSeed(base, seed);
        process.stderr.write(`Seed ${seed}\n`);
        await runQ2b(other.autoencoders, other.disNet, other.sharpen, { ...context, emit: progressPrinter(planAll(other, runsDir)) });
      }
      if (others.length) process.stderr.write(`Seed ${first}, and the report\n`);
      const result = await answerAll(options, { ...context, emit: progressPrinter(planAll(options, runsDir)) });
      if (!result.report) {
        process.stderr.write('Cancelled before the report was written; the finished runs are kept and reused next time.\n');
        return 130;
      }
      process.stderr.write(`Done in ${clock((Date.now() - started) / 1000)}.\n`);
      process.stdout.write(json ? JSON.stringify(result, null, 2) + '\n' : describeReport(result.report));
      return 0;
    }

    if (command === 'q2a') {
      const { '--latent': _, ...flags } = TRAIN_FLAGS;
      const latents = latentList((values as Record<string, unknown>).latent);
      const shared = configFromFlags(AutoencoderConfig, DEFAULT_AUTOENCODER, flags, values);
      const bySeed: { seed: number; result: Q2aResult }[] = [];
      for (const seed of seeds ?? [shared.seed]) {
        if (controller.signal.aborted) break;
        if (seeds) process.stderr.write(`Seed ${seed}\n`);
        const result = await runQ2a(latents.map((latent) => ({ ...shared, latent, seed })), values.reuse === true, context);
        bySeed.push({ seed, result });
        if (result.runs.some((r) => r.status !== 'completed')) return 130;
      }
      const seedRows = seeds ? q2aSeeds(new RunStore(runsDir).list(), latents.map((latent) => ({ ...shared, latent, seed: seeds[0] }))) : undefined;
      if (json) process.stdout.write(JSON.stringify(seeds ? { bySeed, seeds: seedRows } : bySeed[0].result, null, 2) + '\n');
      else process.stdout.write([...bySeed.map(({ seed, result }) => `${seeds ? `Seed ${seed}\n` : ''}${describeQ2a(result)}`), ...(seedRows ? ['Over seeds (mean ± sample standard deviation):', describeQ2aSeeds(seedRows)] : [])].join('\n\n') + '\n');
      return bySeed.length ? 0 : 130;
    }

    const config = configFromFlags(AutoencoderConfig, DEFAULT_AUTOENCODER, TRAIN_FLAGS, values);
    const record = await runJob({ kind: 'trainAutoencoder', config }, context);
    const runDir = path.join(runsDir, record.id);
    const summary = record.summary?.kind === 'training' ? record.summary : undefined;
    if (json) process.stdout.write(JSON.stringify({ runId: record.id, runDir, status: record.status, backend: record.backend, config, summary }, null, 2) + '\n');
    else process.stderr.write(`${record.status}: test L1 ${summary?.finalTestL1?.toFixed(4) ?? '—'} after ${summary?.epochsCompleted ?? 0} epochs. Run folder: ${runDir}\n`);
    return record.status === 'cancelled' ? 130 : 0;
  } catch (err) {
    process.stderr.write(`assignment2: ${(err as Error).message}\n`);
    return err instanceof UsageError || (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1;
  }
}
