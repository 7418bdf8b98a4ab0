/** The engine's boundary: the requests the extension sends over IPC and the events the engine answers with. */
import { z, finite } from '../shared/zod';
import { BackendInfo } from '../shared/backends';
import { JobSpec } from '../shared/jobs/specs';
import { EpochMetrics, RunSummary } from '../runs/schema';
import { ReportSummary } from './report/schema';
import { ExperimentOverrides } from '../shared/experiment/overrides';
import { ExperimentKind, Plan } from '../shared/experiment/plan';
import { ExploreQuery, ExploreResult } from '../shared/explore';

/** A composite job (q2a, q2b, all) as a front end asks for it: the kind and the overrides over the shared defaults. */
export const ExperimentRequest = z.object({
  kind: ExperimentKind,
  overrides: ExperimentOverrides,
  /** all: where the report folder goes. */
  outDir: z.string().min(1).optional(),
  /** all: how the report says it was made. */
  command: z.string().max(2000).optional(),
});
export type ExperimentRequest = z.infer<typeof ExperimentRequest>;

// Host -> engine

export const EngineRequest = z.discriminatedUnion('type', [
  z.object({ type: z.literal('backendInfo'), requestId: z.string().min(1) }),
  z.object({ type: z.literal('startJob'), jobId: z.string().min(1), runsDir: z.string().min(1), job: JobSpec }),
  /** Continues an interrupted, cancelled or failed run from its checkpoint; answered like startJob. */
  z.object({ type: z.literal('resumeRun'), jobId: z.string().min(1), runsDir: z.string().min(1), runId: z.string().min(1) }),
  /** A composite job: planned, then each part trained or reused, judged and (all) reported. */
  z.object({ type: z.literal('runExperiment'), jobId: z.string().min(1), runsDir: z.string().min(1), experiment: ExperimentRequest }),
  /** What a composite job would do, answered with 'plan' (or 'planFailed'); starts nothing. */
  z.object({ type: z.literal('planExperiment'), requestId: z.string().min(1), runsDir: z.string().min(1), kind: ExperimentKind, overrides: ExperimentOverrides }),
  z.object({ type: z.literal('exportReport'), jobId: z.string().min(1), runsDir: z.string().min(1), outDir: z.string().min(1) }),
  z.object({ type: z.literal('cancelJob'), jobId: z.string().min(1) }),
  /** The latent explorer: decodes with a finished autoencoder run's model, beside any job; answered with 'explored' or 'exploreFailed'. */
  z.object({ type: z.literal('explore'), requestId: z.string().min(1), runsDir: z.string().min(1), runId: z.string().min(1), query: ExploreQuery }),
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
  /** A composite job's plan: the answer to planExperiment (requestId), or the first event of runExperiment (jobId). */
  z.object({ type: z.literal('plan'), jobId: z.string().optional(), requestId: z.string().optional(), plan: Plan }),
  z.object({ type: z.literal('planFailed'), requestId: z.string(), message: z.string() }),
  z.object({
    type: z.literal('experimentFinished'),
    jobId: z.string(),
    /** False when it was cancelled before every part was made. */
    completed: z.boolean(),
    runIds: z.array(z.string()),
    report: ReportSummary.optional(),
  }),
  z.object({ type: z.literal('reportExported'), jobId: z.string(), summary: ReportSummary }),
  z.object({ type: z.literal('explored'), requestId: z.string(), result: ExploreResult }),
  z.object({ type: z.literal('exploreFailed'), requestId: z.string(), message: z.string() }),
  z.object({ type: z.literal('error'), jobId: z.string().optional(), message: z.string() }),
]);
export type EngineEvent = z.infer<typeof EngineEvent>;
