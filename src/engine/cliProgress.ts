/**
 * Progress of a command-line job on stderr: live on a terminal, one line every 15 s on a pipe or log.
 * Given a plan (the training batches and jobs ahead), it adds the elapsed time and an ETA, from the
 * measured time per batch plus the measured time between jobs (evaluation, analysis, K-means).
 */
import { EngineEvent } from './protocol';
import { describeEpoch } from '../shared/format';
import { clock } from '../shared/experiment/plan';

/** A training job the command will start, in order: its batches and the cost of one, relative to the others. */
export interface PlannedJob {
  batches: number;
  /** Seconds per batch relative to the other jobs' (a Q2a batch is 1); the measured rate scales them all. */
  cost: number;
}

export interface ProgressPlan {
  jobs: PlannedJob[];
}

/** Until a job has finished, the time between jobs (analysis) is guessed at this. */
const GUESSED_SECONDS_BETWEEN_JOBS = 30;
/** A gap this long between two batches is evaluation or analysis, not training. */
const LONGEST_BATCH_SECONDS = 5;

/**
 * The time left: the planned work, in batches weighted by their cost, at the measured seconds per unit
 * of cost, plus the measured time between jobs. A job's first batch takes the next planned job, so jobs
 * that train nothing (the Q1 study) do not shift the plan.
 */
class Eta {
  private readonly start = Date.now();
  private readonly ahead: PlannedJob[];
  private readonly totalUnits: number;
  private current?: PlannedJob;
  private trainingSeconds = 0;
  private finishedUnits = 0;
  private currentBatches = 0;
  private batchesSeen = 0;
  private jobsFinished = 0;
  private lastBatchAt?: number;

  constructor(plan: ProgressPlan) {
    this.ahead = [...plan.jobs];
    this.totalUnits = plan.jobs.reduce((sum, job) => sum + job.batches * job.cost, 0);
  }

  jobStarted(): void {
    if (this.current) {
      this.finishedUnits += this.currentBatches * this.current.cost;
      this.jobsFinished++;
    }
    this.current = undefined;
    this.currentBatches = 0;
    this.lastBatchAt = undefined;
  }

  batch(epoch: number, batch: number, batches: number): void {
    this.current ??= this.ahead.shift() ?? { batches: 0, cost: 1 };
    const now = Date.now();
    if (this.lastBatchAt !== undefined && now - this.lastBatchAt < LONGEST_BATCH_SECONDS * 1000) this.trainingSeconds += (now - this.lastBatchAt) / 1000;
    this.lastBatchAt = now;
    this.currentBatches = (epoch - 1) * batches + batch;
    this.batchesSeen++;
  }

  describe(): string {
    const elapsed = (Date.now() - this.start) / 1000;
    const unitsDone = this.finishedUnits + this.currentBatches * (this.current?.cost ?? 0);
    if (this.batchesSeen < 5) return `elapsed ${clock(elapsed)}`;
    const perUnit = this.trainingSeconds / unitsDone;
    const between = this.jobsFinished ? Math.max(0, elapsed - this.trainingSeconds) / this.jobsFinished : GUESSED_SECONDS_BETWEEN_JOBS;
    const jobsLeft = this.ahead.length + (this.current ? 1 : 0);
    const remaining = Math.max(0, this.totalUnits - unitsDone) * perUnit + jobsLeft * between;
    return `elapsed ${clock(elapsed)}, about ${clock(remaining)} left`;
  }
}

export function progressPrinter(plan?: ProgressPlan): (event: EngineEvent) => void {
  const tty = process.stderr.isTTY === true;
  const eta = plan && plan.jobs.length > 0 ? new Eta(plan) : undefined;
  let lastLine = 0;
  return (event) => {
    if (event.type === 'progress') {
      eta?.batch(event.epoch, event.batch, event.batches);
      const now = Date.now();
      if (now - lastLine < (tty ? 250 : 15_000)) return;
      lastLine = now;
      const text = `epoch ${event.epoch}/${event.epochs}  batch ${event.batch}/${event.batches}  loss ${event.loss.toFixed(4)}${eta ? `  (${eta.describe()})` : ''}`;
      process.stderr.write(tty ? `\r${text}   ` : `${text}\n`);
    } else if (event.type === 'epoch') {
      process.stderr.write(`${tty ? '\r' : ''}${describeEpoch(event.metrics)}   \n`);
    } else if (event.type === 'log' || event.type === 'error') {
      process.stderr.write(`${event.message}\n`);
    } else if (event.type === 'jobStarted') {
      eta?.jobStarted();
      process.stderr.write(`Run ${event.runId} in ${event.runDir}${eta ? ` (${eta.describe()})` : ''}\n`);
    }
  };
}
