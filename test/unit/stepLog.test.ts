/**
 * The step log (steps.jsonl): real tiny training runs write one line per batch whose losses agree with
 * their epoch's figures; its reader skips a line cut off by a crash and names a damaged one; a resume
 * keeps the steps up to the checkpoint only.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { AutoencoderConfig, DisNetConfig } from '../../src/shared/jobs/specs';
import { initBackend } from '../../src/engine/backend';
import { JobContext } from '../../src/engine/jobs/jobContext';
import { runJob } from '../../src/engine/jobs/runJob';
import { STEPS_FILE, readRunDetails, readSteps } from '../../src/runs/files';
import { AutoencoderEpoch, AutoencoderStep, DisNetEpoch, DisNetStep, isAutoencoderStep } from '../../src/runs/schema';
import { readMetrics } from '../../src/runs/store';
import { keepStepsThrough } from '../../src/runs/stepLog';

// 4 batches of 64 per epoch: every batch has the same size, so an epoch's mean is the mean of its steps.
const autoencoder: AutoencoderConfig = { architecture: 'dense', latent: 2, epochs: 2, batchSize: 64, learningRate: 3e-3, warmupSteps: 4, outputInit: 'meanImage', trainImages: 256, testImages: 64, seed: 4 };
const disNet: DisNetConfig = { blur: { sigma: 1, kernelSize: 0 }, epochs: 2, batchSize: 64, learningRate: 3e-3, trainImages: 256, testImages: 64, seed: 6 };

const tmpRuns = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'steps-')), 'runs');
const context = (runsDir: string): JobContext => ({ jobId: 'test', runsDir, backend: 'onnxruntime', signal: new AbortController().signal, emit: () => undefined });
const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;

before(async () => {
  await initBackend('onnxruntime');
});

/** Steps 1 to 8 in order, four to an epoch, on a clock that never runs backwards. */
function assertEveryBatch(steps: { step: number; epoch: number; batch: number; seconds: number }[]) {
  assert.deepEqual(steps.map((s) => [s.step, s.epoch, s.batch]), [1, 2, 3, 4, 5, 6, 7, 8].map((n) => [n, Math.ceil(n / 4), ((n - 1) % 4) + 1]));
  steps.slice(1).forEach((s, i) => assert.ok(s.seconds >= steps[i].seconds, 'seconds never fall'));
}

test("an autoencoder and a sharpened one log every batch's L1 (and adversarial term) as their epochs' figures add them up", async () => {
  const runsDir = tmpRuns();
  const plain = await runJob({ kind: 'trainAutoencoder', config: autoencoder }, context(runsDir));
  const disNetRun = await runJob({ kind: 'trainDisNet', config: { ...disNet, epochs: 1 } }, context(runsDir));
  const sharpened = await runJob({ kind: 'trainAutoencoder', config: { ...autoencoder, adversarial: { disNetRunId: disNetRun.id, lambda: 0.1, mode: 'frozen' } } }, context(runsDir));
  for (const [run, withAdversarial] of [[plain, false], [sharpened, true]] as const) {
    const dir = path.join(runsDir, run.id);
    const steps = readSteps(dir).filter(isAutoencoderStep);
    assertEveryBatch(steps);
    assert.equal(steps.every((s) => s.adversarial !== undefined), withAdversarial);
    const epochs = readMetrics(dir) as AutoencoderEpoch[];
    for (const m of epochs) {
      const of = steps.filter((s) => s.epoch === m.epoch);
      assert.ok(Math.abs(mean(of.map((s) => s.l1)) - m.trainL1) < 1e-6, `epoch ${m.epoch}: the steps' L1 averages to the epoch's train L1`);
      if (withAdversarial) assert.ok(Math.abs(mean(of.map((s) => (s as AutoencoderStep).adversarial!)) - m.trainAdversarial!) < 1e-6);
    }
    assert.deepEqual(readRunDetails(dir).steps, readSteps(dir), 'the page gets the same steps');
  }
});

test("dis_net logs every batch's cross-entropy", async () => {
  const runsDir = tmpRuns();
  const run = await runJob({ kind: 'trainDisNet', config: disNet }, context(runsDir));
  const dir = path.join(runsDir, run.id);
  const steps = readSteps(dir) as DisNetStep[];
  assertEveryBatch(steps);
  for (const m of readMetrics(dir) as DisNetEpoch[]) assert.ok(Math.abs(mean(steps.filter((s) => s.epoch === m.epoch).map((s) => s.crossEntropy)) - m.trainLoss) < 1e-6);
});

const line = (step: number, seconds: number) => JSON.stringify({ step, epoch: 1, batch: step, seconds, l1: 0.5 / step }) + '\n';

test('the reader skips a last line cut off by a crash, and names a damaged one by file and line', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steps-'));
  assert.deepEqual(readSteps(dir), [], 'no log yet: no steps');
  fs.writeFileSync(path.join(dir, STEPS_FILE), line(1, 0.1) + line(2, 0.2) + line(3, 0.3).slice(0, 20));
  assert.deepEqual(readSteps(dir).map((s) => s.step), [1, 2]);
  fs.writeFileSync(path.join(dir, STEPS_FILE), line(1, 0.1) + '{"step": 2, "l1": "much"}\n' + line(3, 0.3));
  assert.throws(() => readSteps(dir), new RegExp(`${STEPS_FILE} line 2 is not a training step`));
  const details = readRunDetails(dir);
  assert.equal(details.steps, undefined);
  assert.match(details.problems.join(), /steps\.jsonl line 2/);
});

test("resuming keeps the steps up to the checkpoint's, drops a cut-off tail, and goes on with their time", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steps-'));
  assert.equal(keepStepsThrough(dir, 4), 0, 'a run from before the step log starts its clock at 0');
  assert.equal(fs.existsSync(path.join(dir, STEPS_FILE)), false, 'and gets no empty log');
  fs.writeFileSync(path.join(dir, STEPS_FILE), [1, 2, 3, 4, 5, 6].map((n) => line(n, n / 10)).join('') + line(7, 0.7).slice(0, 12));
  assert.equal(keepStepsThrough(dir, 4), 0.4);
  assert.deepEqual(readSteps(dir).map((s) => s.step), [1, 2, 3, 4]);
  assert.ok(fs.readFileSync(path.join(dir, STEPS_FILE), 'utf8').endsWith('}\n'), 'the next append starts a line of its own');
  fs.appendFileSync(path.join(dir, STEPS_FILE), 'not json\n');
  assert.throws(() => keepStepsThrough(dir, 4), /line 5 is not valid JSON\. Delete .*steps\.jsonl to resume/);
});
