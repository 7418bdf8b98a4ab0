import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { AdversarialConfig, AutoencoderConfig } from '../../src/shared/jobs/specs';
import { RunRecord } from '../../src/runs/schema';
import { DEFAULT_RECIPES, SharpenRecipe } from '../../src/shared/experiment/defaults';
import { METRICS_FILE, RUN_FILE, RunStore, appendMetrics, finishRun, newRunId, readRunRecord, writeFileAtomic } from '../../src/runs/store';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'runs-'));

function record(id: string): RunRecord {
  return {
    schemaVersion: 4,
    id,
    name: `Autoencoder ${id}`,
    job: { kind: 'trainAutoencoder', config: { architecture: 'dense', latent: 2, epochs: 3, batchSize: 64, learningRate: 0.001, warmupSteps: 0, outputInit: 'meanImage', trainImages: 100, testImages: 50, seed: 1 } },
    seed: 1,
    backend: 'wasm',
    versions: { node: process.versions.node },
    status: 'running',
    createdAt: new Date().toISOString(),
  };
}

test('a run is created, appended to, finished and listed', () => {
  const store = new RunStore(path.join(tmp(), 'nested', 'runs'));
  const dir = store.create(record('r1'));
  appendMetrics(dir, { epoch: 1, trainL1: 0.3, testL1: 0.25, seconds: 1.5 });
  appendMetrics(dir, { epoch: 2, trainL1: 0.2, testL1: 0.18, seconds: 1.4 });
  const done = finishRun(dir, 'completed', { summary: { kind: 'training', epochsCompleted: 2 } });
  assert.equal(done.status, 'completed');
  assert.ok(done.endedAt);
  // First writer wins: a late crash report does not overwrite a finished run.
  assert.equal(finishRun(dir, 'failed', { error: 'late' }).status, 'completed');
  const [item] = store.list();
  assert.ok(item.ok);
  assert.equal(item.run.status, 'completed');
  assert.deepEqual(item.metrics.map((m) => m.epoch), [1, 2]);
  assert.deepEqual(fs.readdirSync(dir).sort(), [METRICS_FILE, RUN_FILE]); // no temp files left behind
});

test('runs are listed newest first and a taken id is refused', () => {
  const store = new RunStore(tmp());
  const a = newRunId('ae2', new Date('2026-01-01T00:00:00Z'));
  const b = newRunId('ae2', new Date('2026-02-01T00:00:00Z'));
  store.create(record(a));
  store.create(record(b));
  assert.deepEqual(store.list().map((r) => (r.ok ? r.run.id : r.id)), [b, a]);
  assert.throws(() => store.create(record(a)), /Cannot create run folder/);
  assert.throws(() => store.dirOf('../escape'), /Invalid run id/);
});

test('damaged runs are listed with their problem and do not hide the others', () => {
  const store = new RunStore(tmp());
  const good = store.create(record('b-good'));
  const corrupt = store.create(record('a-corrupt'));
  fs.writeFileSync(path.join(corrupt, RUN_FILE), '{"schemaVersion": 1, "id": ');
  const wrongShape = store.create(record('c-shape'));
  fs.writeFileSync(path.join(wrongShape, RUN_FILE), JSON.stringify({ ...record('c-shape'), status: 'exploded' }));
  const badMetrics = store.create(record('d-metrics'));
  fs.writeFileSync(path.join(badMetrics, METRICS_FILE), '{"epoch":1,"trainL1":0.3,"testL1":0.2,"seconds":1}\nnot json\n');

  const items = Object.fromEntries(store.list().map((r) => [path.basename(r.dir), r]));
  assert.equal(items['b-good'].ok, true);
  assert.match((items['a-corrupt'] as { problem: string }).problem, /not valid JSON/);
  assert.match((items['c-shape'] as { problem: string }).problem, /status/);
  assert.match((items['d-metrics'] as { problem: string }).problem, /line 2 is not valid JSON/);
  assert.equal(readRunRecord(good).id, 'b-good');
});

test('an epoch line cut off by a crash is ignored, the complete ones kept', () => {
  const store = new RunStore(tmp());
  const dir = store.create(record('r'));
  appendMetrics(dir, { epoch: 1, trainL1: 0.3, testL1: 0.2, seconds: 1 });
  fs.appendFileSync(path.join(dir, METRICS_FILE), '{"epoch":2,"trainL1":0.2');
  const [item] = store.list();
  assert.ok(item.ok);
  assert.deepEqual(item.metrics.map((m) => m.epoch), [1]);
});

test('an atomic write that fails leaves the old file and no temp file', () => {
  const dir = tmp();
  const file = path.join(dir, 'x.json');
  writeFileAtomic(file, 'old');
  fs.mkdirSync(path.join(dir, 'blocker'));
  // Renaming a file over a directory fails: the write must not damage anything.
  assert.throws(() => writeFileAtomic(path.join(dir, 'blocker'), 'new'));
  assert.equal(fs.readFileSync(file, 'utf8'), 'old');
  assert.deepEqual(fs.readdirSync(dir).sort(), ['blocker', 'x.json']);
});

test('a missing runs folder lists as empty', () => {
  assert.deepEqual(new RunStore(path.join(tmp(), 'none')).list(), []);
});

test('findCompleted finds a finished run of the same job, whatever the key order', () => {
  const store = new RunStore(tmp());
  const done = record('b-done');
  finishRun(store.create(done), 'completed');
  store.create(record('c-running'));
  const other = record('a-other');
  finishRun(store.create({ ...other, job: { kind: 'trainAutoencoder', config: { ...(other.job as { config: object }).config, latent: 16 } as never } }), 'completed');
  const { config } = done.job as { config: Record<string, unknown> };
  const reordered = Object.fromEntries(Object.entries(config).reverse());
  assert.equal(store.findCompleted({ kind: 'trainAutoencoder', config: reordered as never })?.run.id, 'b-done');
  assert.equal(store.findCompleted({ kind: 'trainAutoencoder', config: reordered as never }, () => false), undefined);
});

test('a runs folder that cannot be created is a clear error naming it and the setting, and nothing is written', () => {
  const parent = tmp();
  const file = path.join(parent, 'not-a-folder');
  fs.writeFileSync(file, 'a file where the runs folder should be');
  const store = new RunStore(path.join(file, 'runs'));
  assert.throws(() => store.create(record('r1')), (err: Error) => err.message.includes(path.join(file, 'runs', 'r1')) && err.message.includes('assignment2.runsDirectory'));
  assert.deepEqual(fs.readdirSync(parent), ['not-a-folder']);
});

test('a run.json that cannot be written leaves no run folder behind', () => {
  const store = new RunStore(tmp());
  const bad = { ...record('r2'), status: 'exploded' } as unknown as RunRecord; // refused by the schema on write
  assert.throws(() => store.create(bad), /Cannot write .*run\.json/);
  assert.deepEqual(fs.readdirSync(store.runsDir), [], 'the half-made folder was removed');
  assert.deepEqual(store.list(), []);
});

test('a version-1 run, made before outputInit existed, reads as started from grey and is not reused for a mean-image job', () => {
  const store = new RunStore(tmp());
  const dir = store.create({ ...record('v1'), status: 'completed' });
  const current = JSON.parse(fs.readFileSync(path.join(dir, RUN_FILE), 'utf8'));
  delete current.job.config.outputInit;
  fs.writeFileSync(path.join(dir, RUN_FILE), JSON.stringify({ ...current, schemaVersion: 1 }));
  const old = readRunRecord(dir);
  assert.equal(old.schemaVersion, 4);
  assert.equal(old.job.kind === 'trainAutoencoder' && old.job.config.outputInit, 'grey');
  assert.equal(store.findCompleted(record('new').job), undefined);
  assert.equal(store.findCompleted({ ...record('new').job, config: { ...(old.job as { config: object }).config, outputInit: 'grey' } } as never)?.run.id, 'v1');
});

test('a version-2 alternating run reads as updating dis_net at its own rate with unsmoothed labels, and is not reused for the new recipe', () => {
  const store = new RunStore(tmp());
  const adversarial = { disNetRunId: 'd', lambda: 0.1, mode: 'alternating' as const, initRunId: 'a' };
  const base = record('v2');
  const config = { ...(base.job as { config: AutoencoderConfig }).config, learningRate: 0.003 };
  const dir = store.create({ ...base, job: { kind: 'trainAutoencoder', config: { ...config, adversarial: { ...adversarial, ...DEFAULT_RECIPES.alternating, lambda: 0.1 } } }, status: 'completed' });
  fs.writeFileSync(path.join(dir, RUN_FILE), JSON.stringify({ ...JSON.parse(fs.readFileSync(path.join(dir, RUN_FILE), 'utf8')), schemaVersion: 2, job: { kind: 'trainAutoencoder', config: { ...config, adversarial } } }));
  const old = readRunRecord(dir);
  assert.equal(old.schemaVersion, 4);
  assert.deepEqual(old.job.kind === 'trainAutoencoder' && old.job.config.adversarial, { ...adversarial, disNetLearningRate: 0.003, clearLabel: 1 });
  const job = (recipe: SharpenRecipe) => ({ kind: 'trainAutoencoder' as const, config: { ...config, adversarial: { ...recipe, disNetRunId: 'd', initRunId: 'a' } } });
  assert.equal(store.findCompleted(job(DEFAULT_RECIPES.alternating)), undefined);
  assert.equal(store.findCompleted(job({ ...DEFAULT_RECIPES.alternating, lambda: 0.1, disNetLearningRate: 0.003, clearLabel: 1 }))?.run.id, 'v2');
});

test("the alternating mode's settings are required in that mode and refused in the frozen one", () => {
  const base = { disNetRunId: 'd', lambda: 0.1 };
  assert.ok(AdversarialConfig.safeParse({ ...base, mode: 'frozen' }).success);
  assert.ok(AdversarialConfig.safeParse({ ...base, ...DEFAULT_RECIPES.alternating }).success);
  assert.match(String(AdversarialConfig.safeParse({ ...base, mode: 'alternating' }).error), /disNetLearningRate is required in the alternating mode/);
  assert.match(String(AdversarialConfig.safeParse({ ...base, mode: 'frozen', clearLabel: 0.9 }).error), /clearLabel applies only to the alternating mode/);
});
