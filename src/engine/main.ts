/**
 * The engine process: forked by the extension, it talks only over Node IPC. Every request is validated;
 * a malformed one is reported as a warning and dropped. One job runs at a time.
 */
import { BackendPreference } from '../shared/backends';
import { EngineEvent, EngineRequest } from './protocol';
import { parseMessage } from '../shared/validation';
import { initBackend } from './backend';
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
      const controller = new AbortController();
      const run = () =>
        runJob(request.job, { jobId: request.jobId, runsDir: request.runsDir, backend: preference, signal: controller.signal, emit: send }).then(
          () => undefined,
          (err: Error) => send({ type: 'error', jobId: request.jobId, message: err.message }),
        );
      // A Q1 study is a fraction of a second of plain arithmetic: it may run beside a training job.
      if (request.job.kind === 'q1Study') return run();
      if (current) {
        send({ type: 'error', jobId: request.jobId, message: `The engine is busy with job ${current.jobId}; wait for it to finish or cancel it.` });
        return;
      }
      const done = run().finally(() => (current = undefined));
      current = { jobId: request.jobId, controller, done };
      return done;
    }
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
