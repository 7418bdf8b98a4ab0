/**
 * The latent explorer's decoding, on tiny real runs: a 2-D and a 16-D autoencoder trained on 256
 * MNIST images. Decoded images follow the code, agree with the model's own reconstruction, and
 * every request the explorer cannot answer is refused with its reason.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { AutoencoderConfig } from '../../src/shared/jobs/specs';
import { EngineRequest } from '../../src/engine/protocol';
import { INTERPOLATION_STEPS, MAX_CODES, extentOf, manifoldCodes, tileDigits } from '../../src/shared/explore';
import { DEFAULT_Q1_PARAMS } from '../../src/shared/q1/study';
import { JobContext } from '../../src/engine/jobs/jobContext';
import { runJob } from '../../src/engine/jobs/runJob';
import { explore } from '../../src/engine/explore/explore';
import { POINTS_FILE } from '../../src/runs/files';
import { LatentPoints } from '../../src/runs/schema';
import { RUN_FILE, readRunRecord, writeFileAtomic } from '../../src/runs/store';
import { parseMessage } from '../../src/shared/validation';

const SIZE = 784;
const runsDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'explore-')), 'runs');
const config = (latent: number): AutoencoderConfig => ({ architecture: 'dense', latent, epochs: 1, batchSize: 64, learningRate: 3e-3, warmupSteps: 0, outputInit: 'meanImage', trainImages: 256, testImages: 100, seed: 4 });
const context = (): JobContext => ({ jobId: 'test', runsDir, backend: 'wasm', signal: new AbortController().signal, emit: () => undefined });
let two: string;
let sixteen: string;
let q1: string;

before(async () => {
  two = (await runJob({ kind: 'trainAutoencoder', config: config(2) }, context())).id;
  sixteen = (await runJob({ kind: 'trainAutoencoder', config: config(16) }, context())).id;
  q1 = (await runJob({ kind: 'q1Study', params: DEFAULT_Q1_PARAMS }, context())).id;
});

const bytes = (base64: string) => new Uint8Array(Buffer.from(base64, 'base64'));
const image = (all: Uint8Array, i: number) => Array.from(all.subarray(i * SIZE, (i + 1) * SIZE));
const ask = (runId: string, query: Parameters<typeof explore>[2]) => explore(runsDir, runId, query, 'wasm');

test('decoded images follow the code: different points give different digits, the same point the same one', async () => {
  const result = await ask(two, { kind: 'decode', codes: [[-2, -2], [2, 2], [-2, -2]] });
  assert.equal(result.count, 3);
  assert.equal(result.latent, 2);
  const images = bytes(result.images);
  assert.equal(images.length, 3 * SIZE);
  assert.notDeepEqual(image(images, 0), image(images, 1));
  assert.deepEqual(image(images, 0), image(images, 2));
  assert.ok(images.some((v) => v > 128), 'a decoded digit has ink');
});

test("decoding a test image's code gives the model's own reconstruction of it", async () => {
  for (const runId of [two, sixteen]) {
    const rebuilt = await ask(runId, { kind: 'reconstruct', index: 7 });
    assert.equal(rebuilt.count, 2, 'the original and its reconstruction');
    const decoded = await ask(runId, { kind: 'decode', codes: rebuilt.codes });
    assert.deepEqual(image(bytes(decoded.images), 0), image(bytes(rebuilt.images), 1), runId);
    assert.notDeepEqual(image(bytes(rebuilt.images), 0), image(bytes(rebuilt.images), 1), 'a reconstruction is not the original');
  }
  // Test image #i is point i of the scatter: the 2-D code is the one points.json holds.
  const points = LatentPoints.parse(JSON.parse(fs.readFileSync(path.join(runsDir, two, POINTS_FILE), 'utf8')));
  const [code] = (await ask(two, { kind: 'reconstruct', index: 7 })).codes;
  assert.ok(Math.abs(code[0] - points.xy[14]) < 1e-3 && Math.abs(code[1] - points.xy[15]) < 1e-3, `code ${code} against point ${points.xy.slice(14, 16)}`);
});

test('an interpolation has 10 steps whose endpoints are the reconstructions of the two test images', async () => {
  for (const runId of [two, sixteen]) {
    const result = await ask(runId, { kind: 'interpolate', from: 3, to: 11 });
    assert.equal(result.count, INTERPOLATION_STEPS);
    const images = bytes(result.images);
    const [a, b] = await Promise.all([ask(runId, { kind: 'reconstruct', index: 3 }), ask(runId, { kind: 'reconstruct', index: 11 })]);
    assert.deepEqual(image(images, 0), image(bytes(a.images), 1));
    assert.deepEqual(image(images, INTERPOLATION_STEPS - 1), image(bytes(b.images), 1));
    assert.deepEqual(result.codes[0], a.codes[0]);
    assert.notDeepEqual(image(images, 0), image(images, INTERPOLATION_STEPS - 1));
  }
});

test("a manifold's rectangle is where the codes lie: a few far-out codes do not stretch it", () => {
  // 1,000 codes on the unit square's grid, and 5 (0.5%) far out on both axes.
  const xy = [...Array.from({ length: 1000 }, (_, i) => [(i % 40) / 39, Math.floor(i / 40) / 24]).flat(), ...Array.from({ length: 5 }, () => [1000, -1000]).flat()];
  const { x, y } = extentOf(xy, 0.05);
  for (const [lo, hi] of [x, y]) {
    assert.ok(lo < 0.02 && lo > -0.1 && hi > 0.98 && hi < 1.1, `[${lo}, ${hi}] covers the unit square and not the outliers`);
  }
});

test('a manifold decodes the centres of an n×n grid, top row first', async () => {
  const result = await ask(two, { kind: 'manifold', n: 20, x: [-3, 3], y: [-1, 5] });
  assert.equal(result.count, 400);
  assert.deepEqual(result.codes, manifoldCodes(20, [-3, 3], [-1, 5]));
  assert.deepEqual(result.codes[0], [-3 + 0.15, 5 - 0.15]);
  const corner = await ask(two, { kind: 'decode', codes: [result.codes[399]] });
  assert.deepEqual(image(bytes(result.images), 399), image(bytes(corner.images), 0));
  const tiled = tileDigits(bytes(result.images), 20);
  assert.equal(tiled.length, 560 * 560);
  assert.deepEqual(Array.from(tiled.subarray(560 * 27 + 532, 560 * 27 + 560)), image(bytes(result.images), 19).slice(27 * 28), "the top row's last digit ends the image's 28th row");
});

test('requests the explorer cannot answer are refused with the reason', async () => {
  await assert.rejects(ask('20260101-000000-ae2-none', { kind: 'reconstruct', index: 0 }), /There is no run 20260101-000000-ae2-none in /);
  await assert.rejects(ask('../elsewhere', { kind: 'reconstruct', index: 0 }), /"\.\.\/elsewhere" is not a run id/);
  await assert.rejects(ask(q1, { kind: 'reconstruct', index: 0 }), /is a q1Study run: only autoencoder runs have a decoder/);
  await assert.rejects(ask(two, { kind: 'decode', codes: [Array(16).fill(0)] }), /has a 2-D latent; a 16-D code cannot be decoded/);
  await assert.rejects(ask(sixteen, { kind: 'manifold', n: 4, x: [0, 1], y: [0, 1] }), /16-D latent: a manifold over the latent plane needs a 2-D one/);
  await assert.rejects(ask(two, { kind: 'reconstruct', index: 100 }), /analysed on test images #0–#99; there is no #100/);
  // A run still training: its run.json says so while the trainer writes its epochs.
  const training = `${two}-copy`;
  fs.cpSync(path.join(runsDir, two), path.join(runsDir, training), { recursive: true });
  const record = readRunRecord(path.join(runsDir, two));
  writeFileAtomic(path.join(runsDir, training, RUN_FILE), JSON.stringify({ ...record, id: training, status: 'running', endedAt: undefined }));
  await assert.rejects(ask(training, { kind: 'decode', codes: [[0, 0]] }), /is still training: its decoder can be explored once it has finished/);
});

test('the protocol bounds a request: too many codes, a too large grid or an empty range are rejected by name', () => {
  const request = (query: unknown) => parseMessage(EngineRequest, { type: 'explore', requestId: 'r1', runsDir, runId: two, query });
  assert.equal(request({ kind: 'decode', codes: Array.from({ length: MAX_CODES }, () => [0, 0]) }).ok, true);
  assert.match((request({ kind: 'decode', codes: Array.from({ length: MAX_CODES + 1 }, () => [0, 0]) }) as { error: string }).error, /^query\.codes: /);
  assert.match((request({ kind: 'manifold', n: 21, x: [0, 1], y: [0, 1] }) as { error: string }).error, /^query\.n: /);
  assert.match((request({ kind: 'manifold', n: 5, x: [1, 1], y: [0, 1] }) as { error: string }).error, /^query\.x: the range must go from a smaller/);
  assert.match((request({ kind: 'decode', codes: [[0, NaN]] }) as { error: string }).error, /^query\.codes\.0\.1: /);
  assert.match((request({ kind: 'interpolate', from: 1.5, to: 2 }) as { error: string }).error, /^query\.from: /);
});
