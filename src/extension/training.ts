/**
 * "Train Autoencoder": asks for latent sizes and epochs (or takes them as arguments), then trains one
 * run per latent size in the engine, one after another, with a cancellable progress notification.
 */
import * as vscode from 'vscode';
import { AutoencoderConfig, TrainAutoencoderArgs, parseMessage } from '../shared/protocol';
import { EngineClient, JobOutcome } from './engineClient';
import { autoencoderConfig } from './settings';
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
    if (this.busy) {
      void vscode.window.showWarningMessage('Assignment 2: a training job is already running. Cancel it first or wait for it to finish.');
      return undefined;
    }
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
    const configs = latents.map((latent) => autoencoderConfig(latent, overrides)); // validates before anything starts
    this.busy = true;
    this.stopRequested = false;
    try {
      return await this.runAll(configs);
    } finally {
      this.busy = false;
      this.state.job = undefined;
    }
  }

  private runAll(configs: AutoencoderConfig[]): Thenable<JobOutcome[]> {
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Assignment 2: training', cancellable: true },
      async (progress, token) => {
        const outcomes: JobOutcome[] = [];
        const totalBatches = configs.reduce((s, c) => s + c.epochs * Math.ceil(c.trainImages / c.batchSize), 0);
        for (const [i, config] of configs.entries()) {
          if (token.isCancellationRequested || this.stopRequested) break;
          const label = `L=${config.latent}`;
          const { jobId, done } = this.engine.startJob({ kind: 'trainAutoencoder', config }, this.runsDir(), (event) => {
            if (event.type === 'jobStarted') {
              this.state.job = { jobId, runId: event.runId, label, epoch: 0, epochs: config.epochs, batch: 0, batches: 1 };
              this.state.refreshRuns();
            } else if (event.type === 'progress') {
              const { epoch, epochs, batch, batches, loss } = event;
              this.state.job = { jobId, runId: this.state.job?.runId, label, epoch, epochs, batch, batches, loss };
              progress.report({
                increment: 100 / totalBatches,
                message: `${label} (${i + 1}/${configs.length}) epoch ${event.epoch}/${event.epochs}, batch ${event.batch}/${event.batches}, L1 ${event.loss.toFixed(4)}`,
              });
            } else if (event.type === 'epoch') {
              this.state.refreshRuns();
            } else if (event.type === 'log') {
              progress.report({ message: `${label} (${i + 1}/${configs.length}): ${event.message}` });
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
      },
    );
  }

  /** Cancels whatever runs now, from the palette or the workbench. */
  cancelRunning(): boolean {
    const job = this.state.job;
    if (!job) return false;
    this.stopRequested = true; // later latent sizes of the same command are not started either
    this.engine.cancel(job.jobId);
    return true;
  }
}
