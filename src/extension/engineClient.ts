/**
 * The extension's side of the engine process: forks it on demand, validates every event it sends,
 * and turns a crash into failed jobs (their runs marked failed on disk) plus a fresh engine next time.
 */
import { ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { BackendInfo, BackendPreference } from '../shared/backends';
import { EngineEvent, EngineRequest, ExperimentRequest } from '../engine/protocol';
import { Plan } from '../shared/experiment/plan';
import { JobSpec } from '../shared/jobs/specs';
import { ReportSummary } from '../engine/report/schema';
import { ExploreQuery, ExploreResult } from '../shared/explore';
import { RunSummary } from '../runs/schema';
import { parseMessage } from '../shared/validation';
import { finishRun } from '../runs/store';

export interface JobOutcome {
  runId: string;
  runDir: string;
  status: 'completed' | 'cancelled';
  summary: RunSummary;
}

interface PendingJob {
  runDir?: string;
  runId?: string;
  onEvent(event: EngineEvent): void;
  resolve(outcome: JobOutcome): void;
  reject(err: Error): void;
}

/** What a composite job (q2a, q2b, all) made: its runs, and for all the report. */
export interface ExperimentOutcome {
  completed: boolean;
  runIds: string[];
  report?: ReportSummary;
}

/** A request that is not one run: a report export or a composite job, settled by its own final event. */
interface PendingTask {
  onEvent(event: EngineEvent): void;
  resolve(value: never): void;
  reject(err: Error): void;
  /** The run it is training now, to be marked failed if the engine dies. */
  runDir?: string;
}

export class EngineCrashError extends Error {}

const BACKEND_INFO_TIMEOUT_MS = 120_000;
/** A decode answers in well under a second; the first one of an engine may also start its backend. */
const EXPLORE_TIMEOUT_MS = 60_000;

export class EngineClient implements vscode.Disposable {
  private child?: ChildProcess;
  private readonly jobs = new Map<string, PendingJob>();
  private readonly tasks = new Map<string, PendingTask>();
  private readonly plans = new Map<string, { resolve(plan: Plan): void; reject(err: Error): void }>();
  private readonly infoRequests = new Map<string, { resolve(info: BackendInfo): void; reject(err: Error): void }>();
  private readonly explorations = new Map<string, { resolve(result: ExploreResult): void; reject(err: Error): void }>();
  private readonly events = new vscode.EventEmitter<EngineEvent>();
  /** Every valid event from the engine, for the output channel and live views. */
  readonly onEvent = this.events.event;
  private readonly exits = new vscode.EventEmitter<{ how: string; hadJobs: boolean }>();
  /** The engine process ended unexpectedly (not through stop()). */
  readonly onDidExit = this.exits.event;
  private stopping = false;
  /** When the engine last sent anything (it sends a heartbeat every second). */
  private lastSign = 0;
  private watchdog?: ReturnType<typeof setInterval>;
  private hungFor?: number;

  constructor(
    private readonly enginePath: string,
    private readonly backend: () => BackendPreference,
    /** ONNX Runtime's threads; 0: every core. */
    private readonly threads: () => number,
    private readonly log: (line: string) => void,
    /** How long the engine may be silent before it counts as hung. */
    private readonly timeoutMs: () => number,
  ) {}

  get running(): boolean {
    return this.child !== undefined;
  }

  private ensureStarted(): ChildProcess {
    if (this.child) return this.child;
    const preference = this.backend();
    const threads = this.threads();
    const child = fork(this.enginePath, [], {
      // The extension host may be Electron: make the child a plain Node process.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', ASSIGNMENT2_BACKEND: preference, ...(threads > 0 ? { ASSIGNMENT2_THREADS: String(threads) } : {}) },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      execArgv: [],
    });
    this.child = child;
    this.log(`Engine started (pid ${child.pid}, backend preference "${preference}", ${threads > 0 ? `${threads} threads` : 'every core'}).`);
    child.stdout?.on('data', (d: Buffer) => this.log(`[engine] ${d.toString().trimEnd()}`));
    child.stderr?.on('data', (d: Buffer) => this.log(`[engine] ${d.toString().trimEnd()}`));
    child.on('message', (raw) => this.receive(raw));
    child.on('error', (err) => this.log(`Engine process error: ${err.message}`));
    child.on('exit', (code, signal) => this.onExit(child, code, signal));
    this.lastSign = Date.now();
    this.hungFor = undefined;
    this.watchdog = setInterval(() => this.checkAlive(child), 1000);
    return child;
  }

  /** A silent engine is stopped; its exit then fails its jobs like a crash, naming the silence. */
  private checkAlive(child: ChildProcess): void {
    const silent = Date.now() - this.lastSign;
    if (this.hungFor !== undefined || silent <= this.timeoutMs()) return;
    this.hungFor = silent;
    this.log(`The engine has sent nothing for ${Math.round(silent / 1000)} s: stopping it as hung.`);
    child.kill('SIGKILL');
  }

  private send(request: EngineRequest): void {
    this.ensureStarted().send(request);
  }

  private receive(raw: unknown): void {
    this.lastSign = Date.now();
    const parsed = parseMessage(EngineEvent, raw);
    if (!parsed.ok) {
      this.log(`Dropped a malformed engine message (${parsed.error}).`);
      return;
    }
    const event = parsed.value;
    this.events.fire(event);
    switch (event.type) {
      case 'backendInfo':
        this.infoRequests.get(event.requestId)?.resolve(event.info);
        this.infoRequests.delete(event.requestId);
        return;
      case 'jobStarted': {
        const job = this.jobs.get(event.jobId);
        if (job) Object.assign(job, { runDir: event.runDir, runId: event.runId });
        const task = this.tasks.get(event.jobId);
        if (task) task.runDir = event.runDir;
        break;
      }
      case 'result': {
        const job = this.jobs.get(event.jobId);
        this.jobs.delete(event.jobId);
        job?.resolve({ runId: event.runId, runDir: job.runDir ?? '', status: event.status, summary: event.summary });
        break;
      }
      case 'experimentFinished':
        this.settleTask(event.jobId, { completed: event.completed, runIds: event.runIds, report: event.report } satisfies ExperimentOutcome);
        return;
      case 'plan':
        if (event.requestId) {
          this.plans.get(event.requestId)?.resolve(event.plan);
          this.plans.delete(event.requestId);
          return;
        }
        break;
      case 'planFailed':
        this.plans.get(event.requestId)?.reject(new Error(event.message));
        this.plans.delete(event.requestId);
        return;
      case 'reportExported':
        this.settleTask(event.jobId, event.summary);
        return;
      case 'explored':
        this.explorations.get(event.requestId)?.resolve(event.result);
        this.explorations.delete(event.requestId);
        return;
      case 'exploreFailed':
        this.explorations.get(event.requestId)?.reject(new Error(event.message));
        this.explorations.delete(event.requestId);
        return;
      case 'error':
        if (event.jobId === undefined) {
          // Errors outside a job come from backend start-up: fail whoever waits for backend info.
          for (const request of this.infoRequests.values()) request.reject(new Error(event.message));
          this.infoRequests.clear();
        } else {
          const pending = this.jobs.get(event.jobId) ?? this.tasks.get(event.jobId);
          this.jobs.delete(event.jobId);
          this.tasks.delete(event.jobId);
          pending?.reject(new Error(event.message));
        }
        return;
    }
    if ('jobId' in event && event.jobId) (this.jobs.get(event.jobId) ?? this.tasks.get(event.jobId))?.onEvent(event);
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = undefined;
    clearInterval(this.watchdog);
    const how =
      this.hungFor !== undefined ? `stopped answering (nothing for ${Math.round(this.hungFor / 1000)} s) and was stopped` : signal ? `was killed (${signal})` : `exited with code ${code}`;
    this.log(`Engine ${how}.`);
    if (!this.stopping) this.exits.fire({ how, hadJobs: this.jobs.size > 0 });
    const crash = new EngineCrashError(`The training engine ${how}. The next command starts a new engine.`);
    for (const request of this.infoRequests.values()) request.reject(crash);
    this.infoRequests.clear();
    for (const job of this.jobs.values()) {
      if (job.runDir) this.markInterrupted(job.runDir, crash);
      job.reject(crash);
    }
    this.jobs.clear();
    for (const task of this.tasks.values()) {
      if (task.runDir) this.markInterrupted(task.runDir, crash);
      task.reject(crash);
    }
    this.tasks.clear();
    for (const plan of this.plans.values()) plan.reject(crash);
    this.plans.clear();
    for (const exploration of this.explorations.values()) exploration.reject(crash);
    this.explorations.clear();
  }

  backendInfo(): Promise<BackendInfo> {
    return this.request(this.infoRequests, BACKEND_INFO_TIMEOUT_MS, 'The engine did not report its backend within 2 minutes.', (requestId) => ({ type: 'backendInfo', requestId }));
  }

  /** Sends a request whose answer, matched by its requestId, settles `pending`'s entry, or fails after `timeoutMs`. */
  private request<T>(pending: Map<string, { resolve(value: T): void; reject(err: Error): void }>, timeoutMs: number, late: string, request: (requestId: string) => EngineRequest): Promise<T> {
    const requestId = randomUUID();
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(requestId);
        reject(new Error(late));
      }, timeoutMs);
      const settle = <V>(fn: (v: V) => void) => (v: V) => {
        clearTimeout(timer);
        fn(v);
      };
      pending.set(requestId, { resolve: settle(resolve), reject: settle(reject) });
      this.send(request(requestId));
    });
  }

  /** Starts a job; `onEvent` sees its progress, the promise settles with its outcome. */
  startJob(job: JobSpec, runsDir: string, onEvent: (event: EngineEvent) => void): { jobId: string; done: Promise<JobOutcome> } {
    return this.trainingJob((jobId) => ({ type: 'startJob', jobId, runsDir, job }), onEvent);
  }

  /** Continues a stopped run from its checkpoint; settles like startJob. */
  resumeRun(runsDir: string, runId: string, onEvent: (event: EngineEvent) => void): { jobId: string; done: Promise<JobOutcome> } {
    return this.trainingJob((jobId) => ({ type: 'resumeRun', jobId, runsDir, runId }), onEvent);
  }

  private trainingJob(request: (jobId: string) => EngineRequest, onEvent: (event: EngineEvent) => void): { jobId: string; done: Promise<JobOutcome> } {
    const jobId = randomUUID();
    const done = new Promise<JobOutcome>((resolve, reject) => {
      this.jobs.set(jobId, { onEvent, resolve, reject });
    });
    this.send(request(jobId));
    return { jobId, done };
  }

  /** Writes the report folder from the newest runs of each part; it may run beside a training job. */
  exportReport(runsDir: string, outDir: string, onEvent: (event: EngineEvent) => void): { jobId: string; done: Promise<ReportSummary> } {
    return this.task<ReportSummary>((jobId) => ({ type: 'exportReport', jobId, runsDir, outDir }), onEvent);
  }

  /** A composite job (q2a, q2b, all): `onEvent` sees its plan and each part's progress. */
  runExperiment(runsDir: string, experiment: ExperimentRequest, onEvent: (event: EngineEvent) => void): { jobId: string; done: Promise<ExperimentOutcome> } {
    return this.task<ExperimentOutcome>((jobId) => ({ type: 'runExperiment', jobId, runsDir, experiment }), onEvent);
  }

  private task<T>(request: (jobId: string) => EngineRequest, onEvent: (event: EngineEvent) => void): { jobId: string; done: Promise<T> } {
    const jobId = randomUUID();
    const done = new Promise<T>((resolve, reject) => {
      this.tasks.set(jobId, { onEvent, resolve: resolve as (value: never) => void, reject });
    });
    this.send(request(jobId));
    return { jobId, done };
  }

  /** What a composite job would train and reuse, and about how long it takes; starts nothing. */
  planExperiment(runsDir: string, kind: ExperimentRequest['kind'], overrides: ExperimentRequest['overrides']): Promise<Plan> {
    const requestId = randomUUID();
    const plan = new Promise<Plan>((resolve, reject) => this.plans.set(requestId, { resolve, reject }));
    this.send({ type: 'planExperiment', requestId, runsDir, kind, overrides });
    return plan;
  }

  /** The latent explorer's images from a finished autoencoder run's decoder; answered beside any running job. */
  explore(runsDir: string, runId: string, query: ExploreQuery): Promise<ExploreResult> {
    return this.request(this.explorations, EXPLORE_TIMEOUT_MS, `The engine did not decode within ${EXPLORE_TIMEOUT_MS / 1000} s.`, (requestId) => ({ type: 'explore', requestId, runsDir, runId, query }));
  }

  private settleTask(jobId: string, value: unknown): void {
    this.tasks.get(jobId)?.resolve(value as never);
    this.tasks.delete(jobId);
  }

  /** The engine died under the run: interrupted, and resumable from its last epoch's checkpoint. */
  private markInterrupted(runDir: string, crash: Error): void {
    try {
      finishRun(runDir, 'interrupted', { error: crash.message });
    } catch (err) {
      this.log(`Could not mark ${runDir} interrupted: ${(err as Error).message}`);
    }
  }

  cancel(jobId: string): void {
    if (this.child && (this.jobs.has(jobId) || this.tasks.has(jobId))) this.send({ type: 'cancelJob', jobId });
  }

  /** Stops the engine; a running job is cancelled first so its run is recorded as cancelled. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    this.stopping = true;
    child.send({ type: 'shutdown' } satisfies EngineRequest);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    this.stopping = false;
  }

  dispose(): void {
    void this.stop();
    this.events.dispose();
    this.exits.dispose();
  }
}
