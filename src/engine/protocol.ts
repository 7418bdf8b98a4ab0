/** The engine's boundary: the requests the extension sends over IPC and the events the engine answers with. */
import { z, finite } from '../shared/zod';
import { BackendInfo } from '../shared/backends';
import { JobSpec } from '../shared/jobs/specs';
import { EpochMetrics, RunSummary } from '../runs/schema';
import { ReportSummary } from './report/schema';

// Host -> engine

export const EngineRequest = z.discriminatedUnion('type', [
  z.object({ type: z.literal('backendInfo'), requestId: z.string().min(1) }),
  z.object({ type: z.literal('startJob'), jobId: z.string().min(1), runsDir: z.string().min(1), job: JobSpec }),
  z.object({ type: z.literal('exportReport'), jobId: z.string().min(1), runsDir: z.string().min(1), outDir: z.string().min(1) }),
  z.object({ type: z.literal('cancelJob'), jobId: z.string().min(1) }),
  z.object({ type: z.literal('shutdown') }),
]);
export type EngineRequest = z.infer<typeof EngineRequest>;

// Engine -> host

export const LogLevel = z.enum(['info', 'warn', 'error']);

export const EngineEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), pid: z.number().int() }),
  /** Once a second, so that the extension can tell a busy engine from a hung one. */
  z.object({ type: z.literal('heartbeat') }),
  z.object({ type: z.literal('backendInfo'), requestId: z.string(), info: BackendInfo }),
  z.object({ type: z.literal('log'), level: LogLevel, message: z.string(), jobId: z.string().optional() }),
  z.object({ type: z.literal('jobStarted'), jobId: z.string(), runId: z.string(), runDir: z.string() }),
  z.object({
    type: z.literal('progress'),
    jobId: z.string(),
    epoch: z.number().int().min(1),
    epochs: z.number().int().min(1),
    batch: z.number().int().min(0),
    batches: z.number().int().min(1),
    loss: finite(),
  }),
  z.object({ type: z.literal('epoch'), jobId: z.string(), runId: z.string(), metrics: EpochMetrics }),
  z.object({
    type: z.literal('result'),
    jobId: z.string(),
    runId: z.string(),
    status: z.enum(['completed', 'cancelled']),
    summary: RunSummary,
  }),
  z.object({ type: z.literal('reportExported'), jobId: z.string(), summary: ReportSummary }),
  z.object({ type: z.literal('error'), jobId: z.string().optional(), message: z.string() }),
]);
export type EngineEvent = z.infer<typeof EngineEvent>;
