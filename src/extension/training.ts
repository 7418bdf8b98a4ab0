/**
 * "Train Autoencoder": asks for latent sizes and epochs (or takes them as arguments), then trains one
 * run per latent size in the engine, one after another, with a cancellable progress notification.
 */
import * as vscode from 'vscode';
import { z } from 'zod';
import { JobSpec } from '../shared/jobs/specs';
import { RunListItem } from '../runs/schema';
import { TrainAutoencoderArgs, TrainSharpenedArgs } from './commands/args';
import { parseMessage } from '../shared/validation';
import { DEFAULT_RECIPES } from '../shared/q2b/defaults';
import { judgeConfigOf } from '../shared/q2b/defaults';
import { EngineClient, JobOutcome } from './engineClient';
import { autoencoderConfig, disNetConfig } from './settings';
import { WorkbenchState } from './workbenchState';

export const DEFAULT_LATENTS = [2, 16, 256];

async function askForArgs(): Promise<TrainAutoencoderArgs | undefined> {
  const picks = await vscode.window.showQuickPick(
    DEFAULT_LATENTS.map((latent) => ({ label: `${latent}-D latent`, latent, picked: true })),
    { canPickMany: true, title: 'Train Autoencoder: latent sizes', placeHolder: 'One run is trained per latent size' },
  );
  if (!picks?.length) return undefined;
  const defaultEpochs = String(vscode.workspace.getConfiguration('assignment2').get('epochs', 6));
  const epochs = await vscode.window.showInputBox({
    title: 'Train Autoencoder: epochs',
    value: defaultEpochs,
    prompt: 'Epochs over the training images (1–1000)',
    validateInput: (text) => (/^\d+$/.test(text) && +text >= 1 && +text <= 1000 ? undefined : 'A whole number from 1 to 1000'),
  });
  if (epochs === undefined) return undefined;
  return { latents: picks.map((p) => p.latent), epochs: Number(epochs) };
}

/** The arguments a command was given (validated), or asked for when it came from the palette. */
async function argsFrom<T>(rawArgs: unknown, schema: z.ZodType<T>, ask: () => Promise<T | undefined>, command: string): Promise<T | undefined> {
  if (rawArgs === undefined) return ask();
  const parsed = parseMessage(schema, rawArgs);
  if (!parsed.ok) throw new Error(`Invalid arguments for ${command}: ${parsed.error}`);
  return parsed.value;
}

/** One job of a training command, with the label its progress is shown under. */
interface PlannedJob {
  label: string;
  spec: JobSpec & { kind: 'trainAutoencoder' | 'trainDisNet' | 'trainJudge' };
}

async function askForSharpenedArgs(): Promise<TrainSharpenedArgs | undefined> {
  const base = await askForArgs();
  if (!base) return undefined;
  const mode = await vscode.window.showQuickPick(
    [
      { label: 'frozen' as const, description: 'dis_net stays fixed (what the assignment asks)' },
      { label: 'alternating' as const, description: 'dis_net keeps learning, with reconstructions as "not clear"' },
    ],
    { title: 'Train Sharpened Autoencoder: dis_net' },
  );
  if (!mode) return undefined;
  const lambda = await vscode.window.showInputBox({
    title: 'Train Sharpened Autoencoder: λ, the weight of the dis_net loss',
    value: String(DEFAULT_RECIPES[mode.label].lambda),
    validateInput: (text) => (Number.isFinite(Number(text)) && Number(text) >= 0 && Number(text) <= 100 ? undefined : 'A number from 0 to 100'),
  });
  if (lambda === undefined) return undefined;
  const start = await vscode.window.showQuickPick(
    [
      { label: 'q2a', description: 'start from the matching Q2a run' },
      { label: 'scratch', description: 'start from a fresh initialisation' },
    ],
    { title: 'Train Sharpened Autoencoder: starting point' },
  );
  if (!start) return undefined;
  return { ...base, lambda: Number(lambda), mode: mode.label, start: start.label as 'q2a' | 'scratch' };
}

export class Trainer {
  private busy = false;
  private stopRequested = false;

  constructor(
    private readonly engine: EngineClient,
    private readonly state: WorkbenchState,
    private readonly runsDir: () => string,
  ) {}

  /** Returns the outcome of each run (for callers such as tests), or undefined if the user backed out. */
  async trainAutoencoders(rawArgs?: unknown): Promise<JobOutcome[] | undefined> {
    if (this.refuseWhileBusy()) return undefined;
    const args = await argsFrom(rawArgs, TrainAutoencoderArgs, askForArgs, 'Train Autoencoder');
    if (!args) return undefined;
    const { latents, ...overrides } = args;
    // Every configuration is validated before anything starts.
    return this.runAll(latents.map((latent) => ({ label: `L=${latent}`, spec: { kind: 'trainAutoencoder', config: autoencoderConfig(latent, overrides) } })));
  }

  /** dis_net, then the judge that scores Q2b's comparison with the same settings and its own seed. */
  async trainDisNet(rawArgs?: unknown): Promise<JobOutcome[] | undefined> {
    if (this.refuseWhileBusy()) return undefined;
    const config = disNetConfig(rawArgs);
    return this.runAll([
      { label: 'dis_net', spec: { kind: 'trainDisNet', config } },
      { label: 'judge', spec: { kind: 'trainJudge', config: judgeConfigOf(config) } },
    ]);
  }

  /** The judge alone, for runs whose dis_net was trained before judges existed. */
  async trainJudge(rawArgs?: unknown): Promise<JobOutcome[] | undefined> {
    if (this.refuseWhileBusy()) return undefined;
    return this.runAll([{ label: 'judge', spec: { kind: 'trainJudge', config: judgeConfigOf(disNetConfig(rawArgs)) } }]);
  }

  /** Q2b (b): L1 + lambda × dis_net loss, one run per latent size. */
  async trainSharpened(rawArgs?: unknown): Promise<JobOutcome[] | undefined> {
    if (this.refuseWhileBusy()) return undefined;
    const args = await argsFrom(rawArgs, TrainSharpenedArgs, askForSharpenedArgs, 'Train Sharpened Autoencoder');
    if (!args) return undefined;
    const { latents, lambda, mode, start, disNetRunId, ...overrides } = args;
    const completed = this.state.runs().filter((r): r is Extract<RunListItem, { ok: true }> => r.ok && r.run.status === 'completed');
    const disNet = disNetRunId ?? completed.find((r) => r.run.job.kind === 'trainDisNet')?.run.id;
    if (!disNet) throw new Error('No finished dis_net run: run "Assignment2: Train Blur Discriminator" first.');
    const jobs = latents.map((latent): PlannedJob => {
      const config = autoencoderConfig(latent, overrides);
      const q2a = completed.find(
        (r) => r.run.job.kind === 'trainAutoencoder' && !r.run.job.config.adversarial && r.run.job.config.latent === latent && r.run.job.config.architecture === config.architecture,
      );
      if (start === 'q2a' && !q2a) throw new Error(`No finished Q2a run with L=${latent} to start from: train it first, or start from scratch.`);
      const recipe = DEFAULT_RECIPES[mode];
      const adversarial = { ...recipe, disNetRunId: disNet, lambda: lambda ?? recipe.lambda, ...(start === 'q2a' ? { initRunId: q2a!.run.id } : {}) };
      return { label: `L=${latent} (b)`, spec: { kind: 'trainAutoencoder', config: { ...config, adversarial } } };
    });
    return this.runAll(jobs);
  }

  private refuseWhileBusy(): boolean {
    if (this.busy) void vscode.window.showWarningMessage('Assignment 2: a training job is already running. Cancel it first or wait for it to finish.');
    return this.busy;
  }

  private async runAll(jobs: PlannedJob[]): Promise<JobOutcome[]> {
    this.busy = true;
    this.stopRequested = false;
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Assignment 2: training', cancellable: true },
        (progress, token) => this.runEach(jobs, progress, token),
      );
    } finally {
      this.busy = false;
      this.state.job = undefined;
    }
  }

  private async runEach(jobs: PlannedJob[], progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken): Promise<JobOutcome[]> {
    const outcomes: JobOutcome[] = [];
    const totalBatches = jobs.reduce((s, { spec: { config: c } }) => s + c.epochs * Math.ceil(c.trainImages / c.batchSize), 0);
    for (const [i, { label, spec }] of jobs.entries()) {
      if (token.isCancellationRequested || this.stopRequested) break;
      const where = jobs.length > 1 ? `${label} (${i + 1}/${jobs.length})` : label;
      const { jobId, done } = this.engine.startJob(spec, this.runsDir(), (event) => {
        if (event.type === 'jobStarted') {
          this.state.job = { jobId, runId: event.runId, label, epoch: 0, epochs: spec.config.epochs, batch: 0, batches: 1 };
          this.state.refreshRuns();
        } else if (event.type === 'progress') {
          const { epoch, epochs, batch, batches, loss } = event;
          this.state.job = { jobId, runId: this.state.job?.runId, label, epoch, epochs, batch, batches, loss };
          progress.report({ increment: 100 / totalBatches, message: `${where} epoch ${epoch}/${epochs}, batch ${batch}/${batches}, loss ${loss.toFixed(4)}` });
        } else if (event.type === 'epoch') {
          this.state.refreshRuns();
        } else if (event.type === 'log') {
          progress.report({ message: `${where}: ${event.message}` });
        }
      });
      const cancel = token.onCancellationRequested(() => this.engine.cancel(jobId));
      try {
        outcomes.push(await done);
      } finally {
        cancel.dispose();
        this.state.refreshRuns();
      }
    }
    return outcomes;
  }

  /** Cancels whatever runs now, from the palette or the workbench. */
  cancelRunning(): boolean {
    const job = this.state.job;
    if (!job) return false;
    this.stopRequested = true; // later jobs of the same command are not started either
    this.engine.cancel(job.jobId);
    return true;
  }
}
