/**
 * Runs that outlive their process: a training process killed (SIGKILL) in the middle of an epoch is
 * found interrupted, and resuming it from its checkpoint gives exactly what a run that never stopped
 * gives (the same weights, bit for bit, and the same figures every epoch); likewise after a cancel,
 * on ONNX Runtime and on the tfjs fallback.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { AutoencoderConfig, DisNetConfig, JobSpec } from '../../src/shared/jobs/specs';
import { DEFAULT_Q1_PARAMS } from '../../src/shared/q1/study';
import { initBackend } from '../../src/engine/backend';
import { graphRuntime, useGraphRuntime } from '../../src/engine/backend/graphRuntime';
import { EngineEvent } from '../../src/engine/protocol';
import { JobContext } from '../../src/engine/jobs/jobContext';
import { resumeRun } from '../../src/engine/jobs/resumeRun';
import { runJob } from '../../src/engine/jobs/runJob';
import { CHECKPOINT_FILE, readCheckpoint } from '../../src/runs/checkpoints';
import { SNAPSHOTS_FILE, readSteps } from '../../src/runs/files';
import { EpochMetrics, RunRecord, TrainingStep } from '../../src/runs/schema';
import { RunStore, readMetrics, readRunRecord, writeFileAtomic } from '../../src/runs/store';
import { WEIGHTS_BIN } from '../../src/engine/training/modelFiles';

const fixture = path.join(__dirname, 'fixtures', 'trainUntilKilled.ts');
// Runs go one level down, so that the pixel baseline's cache (beside the runs folder) stays in the temporary folder.
const tmpRuns = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'resume-')), 'runs');

const autoencoder: AutoencoderConfig = { architecture: 'dense', latent: 2, epochs: 3, batchSize: 64, learningRate: 3e-3, warmupSteps: 8, outputInit: 'meanImage', trainImages: 320, testImages: 100, seed: 3 };
const disNet: DisNetConfig = { blur: { sigma: 1, kernelSize: 0 }, epochs: 3, batchSize: 64, learningRate: 3e-3, trainImages: 320, testImages: 100, seed: 5 };

before(async () => {
  await initBackend('onnxruntime');
});

function context(runsDir: string, onEvent: (event: EngineEvent) => void = () => undefined, signal = new AbortController().signal): JobContext {
  return { jobId: 'test', runsDir, backend: 'onnxruntime', signal, emit: onEvent };
}

/** Each epoch's or step's figures without its time, which is all that may differ. */
const figures = (records: (EpochMetrics | TrainingStep)[]) => records.map(({ seconds: _seconds, ...rest }) => rest);

/** The step log's figures, after checking that it holds every step from 1 on once. */
function stepFigures(dir: string) {
  const steps = readSteps(dir);
  assert.deepEqual(steps.map((s) => s.step), steps.map((_, i) => i + 1), 'every step once, in order');
  return figures(steps);
}

/** What must be equal between a resumed run and one that never stopped. */
function outcome(dir: string) {
  const record = readRunRecord(dir);
  const { secondsPerEpoch: _seconds, ...summary } = (record.summary ?? {}) as Record<string, unknown>;
  const snapshots = JSON.parse(fs.readFileSync(path.join(dir, SNAPSHOTS_FILE), 'utf8')) as { epochs: unknown[] };
  return { status: record.status, summary, metrics: figures(readMetrics(dir)), steps: stepFigures(dir), weights: fs.readFileSync(path.join(dir, WEIGHTS_BIN)), snapshots: snapshots.epochs };
}

/** Starts the job in a child process, kills it (SIGKILL) in the middle of epoch `epoch`, and returns the run's id. */
async function killMidEpoch(runsDir: string, job: JobSpec, epoch: number): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, runsDir, JSON.stringify(job), String(epoch)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  const runId = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
      const match = /mid-epoch (\S+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`the training process ended (code ${code}) before epoch ${epoch}: ${output}`)));
  });
  const dir = new RunStore(runsDir).dirOf(runId);
  assert.equal(readCheckpoint(dir)?.epoch, epoch - 1, 'the checkpoint of the epoch before is on disk');
  assert.equal(readRunRecord(dir).status, 'running');
  child.kill('SIGKILL');
  await exited;
  return runId;
}

async function killResumeAndCompare(runsDir: string, job: JobSpec) {
  const reference = await runJob(job, context(runsDir));
  const runId = await killMidEpoch(runsDir, job, 2);
  const dir = new RunStore(runsDir).dirOf(runId);
  const listed = new RunStore(runsDir).list().find((item) => item.ok && item.run.id === runId);
  assert.ok(listed?.ok);
  assert.equal(listed.run.status, 'interrupted', 'a reader finds the killed run interrupted');
  assert.match(listed.run.error ?? '', /process \(pid \d+\) has ended/);
  assert.equal(readRunRecord(dir).status, 'interrupted', 'and records it so');
  assert.deepEqual(readMetrics(dir).map((m) => m.epoch), [1]);
  assert.deepEqual([...new Set(readSteps(dir).map((s) => s.epoch))], [1], "the step log holds the first epoch's steps");

  const events: EngineEvent[] = [];
  const resumed = await resumeRun(runId, context(runsDir, (e) => events.push(e)));
  assert.equal(resumed.status, 'completed');
  assert.equal(resumed.owner?.pid, process.pid, 'the resuming process owns it now');
  assert.deepEqual(events.filter((e) => e.type === 'epoch').map((e) => e.type === 'epoch' && e.metrics.epoch), [2, 3], 'training went on from epoch 2');
  assert.equal(readCheckpoint(dir), undefined, 'a completed run keeps no checkpoint');
  assert.deepEqual(outcome(dir), outcome(path.join(runsDir, reference.id)));
}

test('an autoencoder killed in the middle of an epoch resumes on ONNX Runtime to the same weights and losses as one that never stopped', async () => {
  assert.ok(graphRuntime(), 'ONNX Runtime trains');
  await killResumeAndCompare(tmpRuns(), { kind: 'trainAutoencoder', config: autoencoder });
});

test("Q2b's alternating mode (autoencoder and dis_net both learning) killed mid-epoch resumes to the same result", async () => {
  const runsDir = tmpRuns();
  const disNetRun = await runJob({ kind: 'trainDisNet', config: { ...disNet, epochs: 1 } }, context(runsDir));
  const adversarial = { disNetRunId: disNetRun.id, lambda: 0.05, mode: 'alternating' as const, disNetLearningRate: 1e-3, clearLabel: 0.9 };
  await killResumeAndCompare(runsDir, { kind: 'trainAutoencoder', config: { ...autoencoder, adversarial } });
});

/** Cancels the job during epoch 2, resumes it, and compares it with the run that was not cancelled. */
async function cancelResumeAndCompare(runsDir: string, job: JobSpec) {
  const reference = await runJob(job, context(runsDir));
  const controller = new AbortController();
  const cancelled = await runJob(job, context(runsDir, (e) => e.type === 'progress' && e.epoch === 2 && controller.abort(), controller.signal));
  assert.equal(cancelled.status, 'cancelled');
  const resumed = await resumeRun(cancelled.id, context(runsDir));
  assert.equal(resumed.status, 'completed');
  const [a, b] = [cancelled.id, reference.id].map((id) => path.join(runsDir, id));
  assert.deepEqual(figures(readMetrics(a)), figures(readMetrics(b)));
  assert.deepEqual(stepFigures(a), stepFigures(b), 'the step logs agree, no step twice');
  assert.deepEqual(fs.readFileSync(path.join(a, WEIGHTS_BIN)), fs.readFileSync(path.join(b, WEIGHTS_BIN)));
  return { resumed, reference: readRunRecord(b) };
}

test('dis_net cancelled during an epoch resumes to the same weights and accuracy as one that was not', async () => {
  const { resumed, reference } = await cancelResumeAndCompare(tmpRuns(), { kind: 'trainDisNet', config: disNet });
  assert.deepEqual(resumed.summary, reference.summary);
});

test('on the tfjs fallback too, a cancelled autoencoder resumes to the same weights and losses', async () => {
  const runtime = graphRuntime();
  useGraphRuntime(undefined);
  try {
    // 24 steps an epoch: after them tfjs's running β2^t differs in its last bit from the power its setWeights computes.
    await cancelResumeAndCompare(tmpRuns(), { kind: 'trainAutoencoder', config: { ...autoencoder, trainImages: 192, batchSize: 8 } });
  } finally {
    useGraphRuntime(runtime);
  }
});

test('an autoencoder cancelled during its analysis resumes straight to the analysis', async () => {
  const runsDir = tmpRuns();
  const controller = new AbortController();
  const job: JobSpec = { kind: 'trainAutoencoder', config: { ...autoencoder, epochs: 1 } };
  const cancelled = await runJob(job, context(runsDir, (e) => e.type === 'log' && e.message.startsWith('Analysing') && controller.abort(), controller.signal));
  assert.equal(cancelled.status, 'cancelled');
  const events: EngineEvent[] = [];
  const resumed = await resumeRun(cancelled.id, context(runsDir, (e) => events.push(e)));
  assert.equal(resumed.status, 'completed');
  assert.equal(events.filter((e) => e.type === 'progress').length, 0, 'no training again');
  assert.equal(resumed.summary?.kind === 'training' && resumed.summary.epochsCompleted, 1);
  assert.ok(resumed.summary?.kind === 'training' && resumed.summary.kmeansAccuracy !== undefined, 'analysed');
});

test('resuming names why it cannot: a completed run, a Q1 study, a run without a checkpoint, a damaged checkpoint', async () => {
  const runsDir = tmpRuns();
  const store = new RunStore(runsDir);
  const q1 = await runJob({ kind: 'q1Study', params: DEFAULT_Q1_PARAMS }, context(runsDir));
  await assert.rejects(resumeRun(q1.id, context(runsDir)), /is a Q1 study/);
  const controller = new AbortController();
  const early = await runJob({ kind: 'trainDisNet', config: { ...disNet, epochs: 1 } }, context(runsDir, (e) => e.type === 'progress' && controller.abort(), controller.signal));
  assert.equal(early.status, 'cancelled');
  await assert.rejects(resumeRun(early.id, context(runsDir)), /has no checkpoint/);
  const complete: RunRecord = { ...readRunRecord(store.dirOf(early.id)), status: 'completed' };
  store.create({ ...complete, id: 'completed-run' });
  await assert.rejects(resumeRun('completed-run', context(runsDir)), /is completed/);
  const damaged = store.create({ ...complete, id: 'damaged-checkpoint', status: 'cancelled' });
  writeFileAtomic(path.join(damaged, CHECKPOINT_FILE), 'not a checkpoint');
  await assert.rejects(resumeRun('damaged-checkpoint', context(runsDir)), new RegExp(`${path.join(damaged, CHECKPOINT_FILE).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is damaged`));
  await assert.rejects(resumeRun('no-such-run', context(runsDir)), /There is no run no-such-run/);
});
