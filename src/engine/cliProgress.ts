/**
 * Progress of a command-line job on stderr: live on a terminal, one line every 15 s on a pipe or log.
 * Given a plan (the training batches and jobs ahead), it adds the elapsed time and an ETA, from the
 * measured time per batch plus the measured time between jobs (evaluation, analysis, K-means).
 */
import { EngineEvent } from '../shared/protocol';
import { describeEpoch } from '../shared/format';

export interface ProgressPlan {
  /** Training batches the command will run, over all its jobs. */
  batches: number;
  /** Training jobs it will start. */
  jobs: number;
}

/** Until a job has finished, the time between jobs (analysis) is guessed at this. */
const GUESSED_SECONDS_BETWEEN_JOBS = 30;
/** A gap this long between two batches is evaluation or analysis, not training. */
const LONGEST_BATCH_SECONDS = 5;

export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

class Eta {
  private readonly start = Date.now();
  private batchSeconds = 0;
  private batchesDone = 0;
  private jobsStarted = 0;
  private finishedJobBatches = 0;
  private currentJobBatches = 0;
  private lastBatchAt?: number;

  constructor(private readonly plan: ProgressPlan) {}

  jobStarted(): void {
    this.finishedJobBatches += this.currentJobBatches;
    this.currentJobBatches = 0;
    this.jobsStarted++;
    this.lastBatchAt = undefined;
  }

  batch(epoch: number, batch: number, batches: number): void {
    const now = Date.now();
    if (this.lastBatchAt !== undefined && now - this.lastBatchAt < LONGEST_BATCH_SECONDS * 1000) this.batchSeconds += (now - this.lastBatchAt) / 1000;
    this.lastBatchAt = now;
    this.currentJobBatches = (epoch - 1) * batches + batch;
    this.batchesDone = this.finishedJobBatches + this.currentJobBatches;
  }

  describe(): string {
    const elapsed = (Date.now() - this.start) / 1000;
    if (this.batchesDone < 5) return `elapsed ${clock(elapsed)}`;
    const perBatch = this.batchSeconds / this.batchesDone;
    const jobsFinished = Math.max(0, this.jobsStarted - 1);
    const between = jobsFinished ? Math.max(0, elapsed - this.batchSeconds) / jobsFinished : GUESSED_SECONDS_BETWEEN_JOBS;
    const remaining = Math.max(0, this.plan.batches - this.batchesDone) * perBatch + Math.max(0, this.plan.jobs - jobsFinished) * between;
    return `elapsed ${clock(elapsed)}, about ${clock(remaining)} left`;
  }
}

export function progressPrinter(plan?: ProgressPlan): (event: EngineEvent) => void {
  const tty = process.stderr.isTTY === true;
  const eta = plan && plan.batches > 0 ? new Eta(plan) : undefined;
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
