/** What a job runs with: where its runs go, the backend asked for, its cancel signal and its events. */
import { BackendPreference } from '../../shared/backends';
import { EngineEvent } from '../protocol';

export interface JobContext {
  jobId: string;
  runsDir: string;
  backend: BackendPreference;
  signal: AbortSignal;
  emit(event: EngineEvent): void;
}

/** Per-batch progress events, for a training loop's onBatch hook. */
export function progressOf(ctx: JobContext, epochs: number) {
  return (epoch: number, batch: number, batches: number, loss: number) => ctx.emit({ type: 'progress', jobId: ctx.jobId, epoch, epochs, batch, batches, loss });
}

export function logInfo(ctx: JobContext, message: string): void {
  ctx.emit({ type: 'log', level: 'info', jobId: ctx.jobId, message });
}
