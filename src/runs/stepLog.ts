/**
 * steps.jsonl: the loss of every training batch, beside the per-epoch metrics. Lines are buffered and
 * appended every FLUSH_EVERY steps and at every epoch's end, before its metrics and checkpoint, so the
 * log always reaches the checkpoint; a crash loses at most the unflushed tail and at worst leaves one
 * unterminated line, which readers skip.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AutoencoderStep, DisNetStep, TrainingStep } from './schema';
import { STEPS_FILE, readSteps } from './files';
import { WriteError, writeFileAtomic } from './store';

const FLUSH_EVERY = 200;

/** A step as the training loop reports it: the log adds the time. */
export type StepRecord = Omit<AutoencoderStep, 'seconds'> | Omit<DisNetStep, 'seconds'>;

export class StepLog {
  private readonly file: string;
  private pending: string[] = [];
  private readonly origin: number;

  /** `elapsed`: the seconds of training already logged (a resumed run's clock goes on from there). */
  constructor(dir: string, elapsed = 0) {
    this.file = path.join(dir, STEPS_FILE);
    this.origin = performance.now() - elapsed * 1000;
  }

  add(step: StepRecord): void {
    const seconds = Math.round(performance.now() - this.origin) / 1000;
    this.pending.push(JSON.stringify(TrainingStep.parse({ ...step, seconds })));
    if (this.pending.length >= FLUSH_EVERY) this.flush();
  }

  flush(): void {
    if (!this.pending.length) return;
    try {
      fs.appendFileSync(this.file, this.pending.join('\n') + '\n');
    } catch (err) {
      throw new WriteError(this.file, err);
    }
    this.pending = [];
  }
}

/**
 * Keeps the steps up to the checkpoint's `step`, so that a resumed run logs none twice, and returns the
 * seconds of training they took. A run from before the step log has none to keep and starts its clock at 0.
 */
export function keepStepsThrough(dir: string, step: number): number {
  const file = path.join(dir, STEPS_FILE);
  let steps: TrainingStep[];
  try {
    steps = readSteps(dir);
  } catch (err) {
    throw new Error(`${(err as Error).message} Delete ${file} to resume without the per-step curve before the checkpoint.`);
  }
  const kept = steps.filter((s) => s.step <= step);
  // Rewritten even when nothing is dropped: a line cut off by a crash must not run into the next append.
  if (fs.existsSync(file)) writeFileAtomic(file, kept.map((s) => JSON.stringify(s) + '\n').join(''));
  return kept.at(-1)?.seconds ?? 0;
}
