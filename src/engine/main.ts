/**
 * The engine process: forked by the extension, it talks only over Node IPC. Every request is validated;
 * a malformed one is reported as a warning and dropped. One training job runs at a time; the explorer's decodes and report exports run beside it.
 */
import { BackendPreference } from '../shared/backends';
import { EngineEvent, EngineRequest } from './protocol';
import { parseMessage } from '../shared/validation';
import { initBackend } from './backend';
import { runExperiment, runIdsOf } from './jobs/experiment';
import { explore } from './explore/explore';
import { JobContext } from './jobs/jobContext';
import { planExperiment } from './jobs/plan';
import { resumeRun } from './jobs/resumeRun';
import { runJob } from './jobs/runJob';
import { exportReport } from './report/exportReport';
import { collectReportInputs } from './report/inputs';
import { packageVersions } from './versions';

function send(event: EngineEvent): void {
  process.send?.(event);
}

function backendPreference(): BackendPreference {
  const parsed = BackendPreference.safeParse(process.env.ASSIGNMENT2_BACKEND ?? 'auto');
  return parsed.success ? parsed.data : 'auto';
}

const HEARTBEAT_MS = 1000;

let current: { jobId: string; controller: AbortController; done: Promise<void> } | undefined;
/** Report exports: they only read run folders, so they run beside a training job. */
const reportExports = new Map<string, AbortController>();

const context = (jobId: string, runsDir: string, signal: AbortSignal, backend: BackendPreference): JobContext => ({ jobId, runsDir, backend, signal, emit: send });

/** A job's failure is its error event; the engine goes on. */
const settle = (jobId: string, work: Promise<void>) => work.catch((err: Error) => send({ type: 'error', jobId, message: err.message }));

/** A training job: one at a time, since each uses every core. */
function exclusive(jobId: string, runsDir: string, backend: BackendPreference, work: (ctx: JobContext) => Promise<void>): Promise<void> {
  if (current) {
    send({ type: 'error', jobId, message: `The engine is busy with job ${current.jobId}; wait for it to finish or cancel it.` });
    return Promise.resolve();
  }
  const controller = new AbortController();
  const done = settle(jobId, work(context(jobId, runsDir, controller.signal, backend))).finally(() => (current = undefined));
  current = { jobId, controller, done };
  return done;
}

/** Cancels the running job and waits until its run folder records that, then exits. */
async function stop(): Promise<never> {
  if (current) {
    current.controller.abort();
    await current.done;
  }
  process.exit(0);
}

export async function handleRequest(request: EngineRequest, preference: BackendPreference): Promise<void> {
  switch (request.type) {
    case 'backendInfo':
      try {
        send({ type: 'backendInfo', requestId: request.requestId, info: await initBackend(preference) });
      } catch (err) {
        send({ type: 'error', message: (err as Error).message });
      }
      return;
    case 'startJob': {
      const job = request.job;
      const work = (ctx: JobContext) => runJob(job, ctx).then(() => undefined);
      // A Q1 study is a fraction of a second of plain arithmetic: it may run beside a training job.
      if (job.kind === 'q1Study') return settle(request.jobId, work(context(request.jobId, request.runsDir, new AbortController().signal, preference)));
      return exclusive(request.jobId, request.runsDir, preference, work);
    }
    case 'resumeRun':
      return exclusive(request.jobId, request.runsDir, preference, (ctx) => resumeRun(request.runId, ctx).then(() => undefined));
    case 'runExperiment':
      return exclusive(request.jobId, request.runsDir, preference, async (ctx) => {
        const result = await runExperiment(request.experiment, ctx);
        send({ type: 'experimentFinished', jobId: request.jobId, completed: result.completed, runIds: runIdsOf(result), report: result.report });
      });
    case 'planExperiment':
      try {
        send({ type: 'plan', requestId: request.requestId, plan: planExperiment(request.kind, request.overrides, request.runsDir) });
      } catch (err) {
        send({ type: 'planFailed', requestId: request.requestId, message: (err as Error).message });
      }
      return;
    case 'exportReport': {
      const controller = new AbortController();
      reportExports.set(request.jobId, controller);
      try {
        const summary = await exportReport(collectReportInputs(request.runsDir), request.outDir, {
          signal: controller.signal,
          backend: preference,
          versions: packageVersions(),
          command: '"Assignment2: Export Report" in VS Code',
          log: (message) => send({ type: 'log', level: 'info', message, jobId: request.jobId }),
        });
        send({ type: 'reportExported', jobId: request.jobId, summary });
      } catch (err) {
        send({ type: 'error', jobId: request.jobId, message: (err as Error).message });
      } finally {
        reportExports.delete(request.jobId);
      }
      return;
    }
    case 'explore':
      // A small batch through a cached model: answered at once, even while a training job runs.
      try {
        send({ type: 'explored', requestId: request.requestId, result: await explore(request.runsDir, request.runId, request.query, preference) });
      } catch (err) {
        send({ type: 'exploreFailed', requestId: request.requestId, message: (err as Error).message });
      }
      return;
    case 'cancelJob':
      if (current?.jobId === request.jobId) current.controller.abort();
      reportExports.get(request.jobId)?.abort();
      return;
    case 'shutdown':
      return stop();
  }
}

function main(): void {
  if (!process.send) {
    console.error('The engine runs as a child process of the extension; use the "assignment2" command line instead.');
    process.exit(2);
  }
  const preference = backendPreference();
  process.on('message', (raw) => {
    const parsed = parseMessage(EngineRequest, raw);
    if (!parsed.ok) {
      send({ type: 'log', level: 'warn', message: `Dropped a malformed request (${parsed.error}).` });
      return;
    }
    void handleRequest(parsed.value, preference);
  });
  // The extension host went away: nobody can receive results, so stop instead of training as an orphan.
  process.on('disconnect', () => void stop());
  send({ type: 'ready', pid: process.pid });
  // Training yields between batches and K-means between iterations, so this keeps firing while they run:
  // the longest uninterrupted step is a few seconds, well inside the extension's assignment2.engineTimeout.
  setInterval(() => send({ type: 'heartbeat' }), HEARTBEAT_MS).unref();
}

main();
