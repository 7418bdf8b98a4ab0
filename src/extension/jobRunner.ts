/**
 * Runs the engine's jobs for the palette commands, one command at a time, each with a cancellable
 * progress notification and the running job in the workbench state. Single jobs (Train Autoencoder,
 * dis_net, a resume) and the composite jobs (q2a, q2b, all) alike: a composite's plan comes from the
 * engine, which trains or reuses each part; the extension only shows it.
 */
import * as vscode from 'vscode';
import { JobSpec, batchesPerEpoch } from '../shared/jobs/specs';
import { PlanStep } from '../shared/experiment/plan';
import { EngineEvent, ExperimentRequest } from '../engine/protocol';
import { EngineClient, ExperimentOutcome, JobOutcome } from './engineClient';
import { WorkbenchState } from './workbenchState';

/** One job of a training command, with the label its progress is shown under. */
export interface LabelledJob {
  label: string;
  spec: JobSpec & { kind: 'trainAutoencoder' | 'trainDisNet' | 'trainJudge' };
}

type Progress = vscode.Progress<{ message?: string; increment?: number }>;

export class JobRunner {
  private busy = false;
  private stopRequested = false;

  constructor(
    private readonly engine: EngineClient,
    private readonly state: WorkbenchState,
    private readonly runsDir: () => string,
  ) {}

  /** Refuses (with a warning) while another command's jobs run. */
  refuseWhileBusy(): boolean {
    if (this.busy) void vscode.window.showWarningMessage('Assignment 2: a training job is already running. Cancel it first or wait for it to finish.');
    return this.busy;
  }

  /** Trains the jobs one after another; stops at the first that does not complete. */
  runJobs(jobs: LabelledJob[]): Promise<JobOutcome[]> {
    return this.withProgress('Assignment 2: training', async (progress, token) => {
      const outcomes: JobOutcome[] = [];
      const totalBatches = jobs.reduce((s, { spec: { config: c } }) => s + c.epochs * batchesPerEpoch(c), 0);
      for (const [i, { label, spec }] of jobs.entries()) {
        if (token.isCancellationRequested || this.stopRequested) break;
        const where = jobs.length > 1 ? `${label} (${i + 1}/${jobs.length})` : label;
        const { jobId, done } = this.engine.startJob(spec, this.runsDir(), this.follower(where, progress, 100 / totalBatches));
        outcomes.push(await this.cancellable(jobId, done, token));
        if (outcomes.at(-1)!.status !== 'completed') break;
      }
      return outcomes;
    });
  }

  /** A composite job in the engine, its plan and progress shown as it goes. */
  runExperiment(experiment: ExperimentRequest, title: string): Promise<ExperimentOutcome> {
    return this.withProgress(`Assignment 2: ${title}`, async (progress, token) => {
      // The steps that train, in the order their jobs start; each started job is the next one.
      let trained: PlanStep[] = [];
      let total = 1;
      let step = 0;
      const follow = this.follower(title, progress, 0);
      const { jobId, done } = this.engine.runExperiment(this.runsDir(), experiment, (event) => {
        if (event.type === 'plan') {
          trained = event.plan.steps.filter((s) => s.action === 'train');
          total = Math.max(1, event.plan.seconds);
          progress.report({ message: `${trained.length} to train, ${event.plan.steps.filter((s) => s.action === 'reuse').length} reused` });
        } else if (event.type === 'jobStarted') {
          step++;
        }
        const current = trained[step - 1];
        follow(event, current ? `${current.label} (${step}/${trained.length})` : undefined, current ? (100 * current.seconds) / total : 0);
      });
      return this.cancellable(jobId, done, token);
    });
  }

  /** Continues an interrupted or cancelled run from its last checkpoint. */
  resume(runId: string): Promise<JobOutcome> {
    return this.withProgress(`Assignment 2: resuming ${runId}`, (progress, token) => {
      const { jobId, done } = this.engine.resumeRun(this.runsDir(), runId, this.follower(runId, progress, 0));
      return this.cancellable(jobId, done, token);
    });
  }

  /** Cancels whatever runs now, from the palette or the workbench. */
  cancelRunning(): boolean {
    const job = this.state.job;
    if (!job) return false;
    this.stopRequested = true; // later jobs of the same command are not started either
    this.engine.cancel(job.jobId);
    return true;
  }

  private async withProgress<T>(title: string, work: (progress: Progress, token: vscode.CancellationToken) => Promise<T>): Promise<T> {
    this.busy = true;
    this.stopRequested = false;
    try {
      return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, work);
    } finally {
      this.busy = false;
      this.state.job = undefined;
    }
  }

  private async cancellable<T>(jobId: string, done: Promise<T>, token: vscode.CancellationToken): Promise<T> {
    const cancel = token.onCancellationRequested(() => this.engine.cancel(jobId));
    try {
      return await done;
    } finally {
      cancel.dispose();
    }
  }

  /** Turns a job's events into the notification's text and the workbench's running job. */
  private follower(label: string, progress: Progress, incrementPerBatch: number) {
    return (event: EngineEvent, stepLabel = label, stepShare = 0) => {
      if (event.type === 'jobStarted') {
        this.state.job = { jobId: event.jobId, runId: event.runId, label: stepLabel, epoch: 0, epochs: 1, batch: 0, batches: 1 };
      } else if (event.type === 'progress') {
        const { epoch, epochs, batch, batches, loss } = event;
        this.state.job = { jobId: event.jobId, runId: this.state.job?.runId, label: stepLabel, epoch, epochs, batch, batches, loss };
        const increment = incrementPerBatch || stepShare / (epochs * batches);
        progress.report({ increment, message: `${stepLabel} epoch ${epoch}/${epochs}, batch ${batch}/${batches}, loss ${loss.toFixed(4)}` });
      } else if (event.type === 'log') {
        progress.report({ message: `${stepLabel}: ${event.message}` });
      }
    };
  }
}
