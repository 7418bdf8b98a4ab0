/**
 * "Train Autoencoder": asks for latent sizes and epochs (or takes them as arguments), then trains one
 * run per latent size in the engine, one after another, with a cancellable progress notification.
 */
import * as vscode from 'vscode';
import { JobSpec, TrainAutoencoderArgs, parseMessage } from '../shared/protocol';
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

/** One job of a training command, with the label its progress is shown under. */
interface PlannedJob {
  label: string;
  spec: JobSpec & { kind: 'trainAutoencoder' | 'trainDisNet' };
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
    let args: TrainAutoencoderArgs | undefined;
    if (rawArgs === undefined) {
      args = await askForArgs();
    } else {
      const parsed = parseMessage(TrainAutoencoderArgs, rawArgs);
      if (!parsed.ok) throw new Error(`Invalid arguments for Train Autoencoder: ${parsed.error}`);
      args = parsed.value;
    }
    if (!args) return undefined;
    const { latents, ...overrides } = args;
    // Every configuration is validated before anything starts.
    return this.runAll(latents.map((latent) => ({ label: `L=${latent}`, spec: { kind: 'trainAutoencoder', config: autoencoderConfig(latent, overrides) } })));
  }

  async trainDisNet(rawArgs?: unknown): Promise<JobOutcome[] | undefined> {
    if (this.refuseWhileBusy()) return undefined;
    return this.runAll([{ label: 'dis_net', spec: { kind: 'trainDisNet', config: disNetConfig(rawArgs) } }]);
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
