/** The built engine bundle as the extension runs it: a forked process spoken to over IPC. */
import assert from 'node:assert/strict';
import { ChildProcess, fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { AutoencoderConfig } from '../../src/shared/jobs/specs';
import { EngineEvent, EngineRequest } from '../../src/engine/protocol';
import { DEFAULT_Q1_PARAMS } from '../../src/shared/q1/study';
import { readMetrics, readRunRecord } from '../../src/runs/store';
import { malformed, seededRng } from '../harness/fuzz';

const enginePath = path.resolve(__dirname, '../../dist/engine.js');
const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-runs-'));
const tiny: AutoencoderConfig = { architecture: 'dense', latent: 2, epochs: 2, batchSize: 64, learningRate: 0.001, warmupSteps: 0, outputInit: 'meanImage', trainImages: 256, testImages: 128, seed: 1 };

let engine: ChildProcess;
const events: EngineEvent[] = [];
const waiters: { match(e: EngineEvent): boolean; resolve(e: EngineEvent): void }[] = [];

function send(request: EngineRequest | Record<string, unknown>) {
  engine.send(request);
}

function next(match: (e: EngineEvent) => boolean, timeoutMs = 60_000): Promise<EngineEvent> {
  const seen = events.find(match);
  if (seen) {
    events.splice(events.indexOf(seen), 1);
    return Promise.resolve(seen);
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out waiting for an engine event')), timeoutMs);
    waiters.push({ match, resolve: (e) => (clearTimeout(timer), resolve(e)) });
  });
}

before(async () => {
  assert.ok(fs.existsSync(enginePath), `${enginePath} is missing: run "npm run build" first`);
  engine = fork(enginePath, [], { env: { ...process.env, ASSIGNMENT2_BACKEND: 'wasm' }, stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
  engine.on('message', (e: EngineEvent) => {
    const i = waiters.findIndex((w) => w.match(e));
    if (i >= 0) waiters.splice(i, 1)[0].resolve(e);
    else events.push(e);
  });
  await next((e) => e.type === 'ready');
});

after(() => engine.kill());

test('a malformed request is dropped with a warning and the engine keeps working', async () => {
  send({ type: 'startJob', jobId: 'x', runsDir, job: { kind: 'trainAutoencoder', config: { ...tiny, batchSize: -1 } } });
  const warning = await next((e) => e.type === 'log' && e.level === 'warn');
  assert.match((warning as { message: string }).message, /Dropped a malformed request \(job\.config\.batchSize/);
  send({ type: 'backendInfo', requestId: 'r1' });
  const info = await next((e) => e.type === 'backendInfo');
  assert.equal(info.type === 'backendInfo' && info.info.chosen, 'wasm');
  assert.equal(fs.readdirSync(runsDir).length, 0, 'nothing was started for the bad request');
});

test('10,000 random and malformed requests: the engine drops each with a warning, acts on none and keeps working', async () => {
  const rng = seededRng(12345);
  const valid: Record<string, unknown>[] = [
    { type: 'startJob', jobId: 'fuzz', runsDir, job: { kind: 'trainAutoencoder', config: { ...tiny } } },
    { type: 'startJob', jobId: 'fuzz', runsDir, job: { kind: 'q1Study', params: DEFAULT_Q1_PARAMS } },
    { type: 'exportReport', jobId: 'fuzz', runsDir, outDir: path.join(runsDir, 'report') },
    { type: 'backendInfo', requestId: 'fuzz' },
    { type: 'cancelJob', jobId: 'fuzz' },
    { type: 'resumeRun', jobId: 'fuzz', runsDir, runId: '20260101-000000-ae2-0000' },
  ];
  let sent = 0;
  while (sent < 10_000) {
    const message = malformed(valid, rng);
    if (EngineRequest.safeParse(message).success) continue; // a message that happens to be valid is not malformed
    send(message as Record<string, unknown>);
    sent++;
  }
  send({ type: 'backendInfo', requestId: 'after-fuzz' });
  const info = await next((e) => e.type === 'backendInfo' && e.requestId === 'after-fuzz', 120_000);
  assert.equal(info.type === 'backendInfo' && info.info.chosen, 'wasm');
  const warnings = events.filter((e) => e.type === 'log' && e.level === 'warn' && e.message.startsWith('Dropped a malformed request'));
  assert.equal(warnings.length, sent, 'one warning per malformed request');
  assert.ok(!events.some((e) => e.type === 'jobStarted' || e.type === 'reportExported' || e.type === 'result'), 'nothing was started');
  assert.deepEqual(fs.readdirSync(runsDir), [], 'nothing was written');
  events.splice(0, events.length);
});

test('a job trains, streams progress and epochs, and leaves a completed run folder', async () => {
  send({ type: 'startJob', jobId: 'j1', runsDir, job: { kind: 'trainAutoencoder', config: tiny } });
  const started = await next((e) => e.type === 'jobStarted' && e.jobId === 'j1');
  const result = await next((e) => e.type === 'result' && e.jobId === 'j1');
  assert.equal(result.type === 'result' && result.status, 'completed');
  const runDir = (started as { runDir: string }).runDir;
  const run = readRunRecord(runDir);
  assert.equal(run.status, 'completed');
  assert.equal(run.backend, 'wasm');
  assert.deepEqual(run.job, { kind: 'trainAutoencoder', config: tiny });
  assert.deepEqual(readMetrics(runDir).map((m) => m.epoch), [1, 2]);
  assert.ok(fs.existsSync(path.join(runDir, 'model.json')) && fs.existsSync(path.join(runDir, 'weights.bin')));
  const progress = events.filter((e) => e.type === 'progress' && e.jobId === 'j1');
  assert.equal(progress.length, 2 * 4, 'one progress event per batch');
});

test('a second training job is refused, a Q1 study runs beside it; cancel stops training and marks its run cancelled, and resuming continues it', async () => {
  send({ type: 'startJob', jobId: 'long', runsDir, job: { kind: 'trainAutoencoder', config: { ...tiny, epochs: 500 } } });
  const started = await next((e) => e.type === 'jobStarted' && e.jobId === 'long');
  send({ type: 'startJob', jobId: 'second', runsDir, job: { kind: 'trainAutoencoder', config: tiny } });
  const refused = await next((e) => e.type === 'error' && e.jobId === 'second');
  assert.match((refused as { message: string }).message, /busy with job long/);
  // A Q1 study is plain arithmetic: it runs beside the training job instead of being refused.
  send({ type: 'startJob', jobId: 'q1', runsDir, job: { kind: 'q1Study', params: DEFAULT_Q1_PARAMS } });
  const q1 = await next((e) => e.type === 'result' && e.jobId === 'q1');
  assert.ok(q1.type === 'result' && q1.summary.kind === 'q1' && q1.summary.adamMaxEscapeHeight !== null);
  assert.ok(fs.existsSync(path.join(runsDir, q1.runId, 'study.json')));
  await next((e) => e.type === 'progress' && e.jobId === 'long' && e.epoch === 2);
  send({ type: 'cancelJob', jobId: 'long' });
  const result = await next((e) => e.type === 'result' && e.jobId === 'long', 10_000);
  assert.equal(result.type === 'result' && result.status, 'cancelled');
  const runDir = (started as { runDir: string }).runDir;
  assert.equal(readRunRecord(runDir).status, 'cancelled');
  assert.ok(readMetrics(runDir).length >= 1, 'completed epochs are kept');

  // Resumed in its own folder from its checkpoint, it goes on with the next epoch; cancelled again, it keeps them all.
  const kept = readMetrics(runDir).length;
  send({ type: 'resumeRun', jobId: 'resumed', runsDir, runId: path.basename(runDir) });
  const again = await next((e) => e.type === 'jobStarted' && e.jobId === 'resumed');
  assert.equal((again as { runDir: string }).runDir, runDir);
  const first = await next((e) => e.type === 'progress' && e.jobId === 'resumed');
  assert.equal(first.type === 'progress' && first.epoch, kept + 1);
  await next((e) => e.type === 'progress' && e.jobId === 'resumed' && e.epoch === kept + 2);
  send({ type: 'cancelJob', jobId: 'resumed' });
  await next((e) => e.type === 'result' && e.jobId === 'resumed', 10_000);
  const epochs = readMetrics(runDir).map((m) => m.epoch);
  assert.deepEqual(epochs, Array.from({ length: epochs.length }, (_, i) => i + 1));
  assert.ok(epochs.length > kept);
  send({ type: 'resumeRun', jobId: 'missing', runsDir, runId: 'no-such-run' });
  const missing = await next((e) => e.type === 'error' && e.jobId === 'missing');
  assert.match((missing as { message: string }).message, /There is no run no-such-run/);
});

test('a cancel during K-means stops it within an iteration and leaves the run cancelled, its epoch kept, no analysis', async () => {
  // An unusual test-set size and seed, so that no cached pixel baseline short-cuts the K-means phase.
  const config = { ...tiny, latent: 16, epochs: 1, testImages: 2999, seed: 777 };
  const cacheFile = path.join(runsDir, '..', 'cache', `pixel-kmeans-${config.testImages}-seed${config.seed}.json`);
  fs.rmSync(cacheFile, { force: true });
  send({ type: 'startJob', jobId: 'kmeans', runsDir, job: { kind: 'trainAutoencoder', config } });
  const started = await next((e) => e.type === 'jobStarted' && e.jobId === 'kmeans');
  await next((e) => e.type === 'log' && e.jobId === 'kmeans' && e.message.startsWith('K-means on the raw pixels'));
  await new Promise((r) => setTimeout(r, 300)); // well inside the fits
  const cancelledAt = Date.now();
  send({ type: 'cancelJob', jobId: 'kmeans' });
  const result = await next((e) => e.type === 'result' && e.jobId === 'kmeans', 20_000);
  const tookMs = Date.now() - cancelledAt;
  assert.equal(result.type === 'result' && result.status, 'cancelled');
  assert.ok(tookMs < 3000, `the cancel took ${tookMs} ms`);
  const runDir = (started as { runDir: string }).runDir;
  assert.equal(readRunRecord(runDir).status, 'cancelled');
  assert.equal(readMetrics(runDir).length, 1, 'the finished epoch is kept');
  assert.ok(!fs.existsSync(path.join(runDir, 'analysis.json')), 'no analysis of a cancelled run');
  assert.ok(!fs.existsSync(cacheFile), 'no half-computed baseline is cached');
  // The engine takes the next job as usual.
  send({ type: 'backendInfo', requestId: 'after-kmeans' });
  await next((e) => e.type === 'backendInfo' && e.requestId === 'after-kmeans');
});

test('a cancel while MNIST is loading leaves a cancelled run with no epochs, before any batch trains', async () => {
  // Sizes no earlier test loaded, so this job reads the IDX files itself.
  const config = { ...tiny, epochs: 3, trainImages: 4001, testImages: 1001 };
  send({ type: 'startJob', jobId: 'loading', runsDir, job: { kind: 'trainAutoencoder', config } });
  await next((e) => e.type === 'log' && e.jobId === 'loading' && e.message.startsWith('Loading MNIST'));
  send({ type: 'cancelJob', jobId: 'loading' });
  const started = await next((e) => e.type === 'jobStarted' && e.jobId === 'loading');
  const result = await next((e) => e.type === 'result' && e.jobId === 'loading', 10_000);
  assert.equal(result.type === 'result' && result.status, 'cancelled');
  const runDir = (started as { runDir: string }).runDir;
  assert.equal(readRunRecord(runDir).status, 'cancelled');
  assert.deepEqual(readMetrics(runDir), []);
  assert.ok(!events.some((e) => e.type === 'progress' && e.jobId === 'loading'), 'no batch trained');
});
