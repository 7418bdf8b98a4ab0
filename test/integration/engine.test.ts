import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

interface Outcome {
  runId: string;
  runDir: string;
  status: string;
}

const tiny = { latents: [2], epochs: 2, trainImages: 512, testImages: 128, batchSize: 64, warmupSteps: 0 };

function runsDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the integration tests need a workspace folder');
  return path.join(folder.uri.fsPath, '.assignment2', 'runs');
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The engine is the extension host's child process running dist/engine.js. */
function enginePids(): number[] {
  const table = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' });
  return table
    .split('\n')
    .map((line) => line.trim().match(/^(\d+)\s+(\d+)\s+(.*)$/))
    .filter((m): m is RegExpMatchArray => !!m && Number(m[2]) === process.pid && m[3].includes(path.join('dist', 'engine.js')))
    .map((m) => Number(m[1]));
}

/** A run that is still training, with at least one epoch on disk. */
async function runningRunWithAnEpoch(known: Set<string>): Promise<string> {
  return until('a running run with one finished epoch', () => {
    if (!fs.existsSync(runsDir())) return undefined;
    const fresh = fs.readdirSync(runsDir()).filter((id) => !known.has(id));
    return fresh
      .map((id) => path.join(runsDir(), id))
      .find((dir) => fs.existsSync(path.join(dir, 'metrics.jsonl')) && readJson(path.join(dir, 'run.json')).status === 'running');
  });
}

const existingRuns = () => new Set(fs.existsSync(runsDir()) ? fs.readdirSync(runsDir()) : []);

suite('Training through the engine process', () => {
  test('Train Autoencoder with a tiny config writes a completed, analysed run into the workspace', async () => {
    const outcomes = await vscode.commands.executeCommand<Outcome[]>('assignment2.trainAutoencoder', tiny);
    assert.ok(Array.isArray(outcomes) && outcomes.length === 1, `outcomes: ${JSON.stringify(outcomes)}`);
    const [outcome] = outcomes;
    assert.equal(outcome.status, 'completed');
    assert.equal(path.dirname(outcome.runDir), runsDir());
    const run = readJson(path.join(outcome.runDir, 'run.json'));
    assert.equal(run.status, 'completed');
    const lines = fs.readFileSync(path.join(outcome.runDir, 'metrics.jsonl'), 'utf8').trim().split('\n');
    assert.equal(lines.length, 2);
    // An untrained decoder outputs ~0.5 everywhere (test L1 ≈ 0.45); 16 Adam steps bring it well below.
    assert.ok(JSON.parse(lines[1]).testL1 < 0.3, lines[1]);
    // The Q2a analysis follows training: K-means figures, the 2-D view, the reconstruction grid.
    const analysis = readJson(path.join(outcome.runDir, 'analysis.json')) as { kmeans: { accuracy: number; contingency: number[][] }; latent: number };
    assert.equal(analysis.latent, 2);
    assert.ok(analysis.kmeans.accuracy > 0 && analysis.kmeans.accuracy <= 1);
    assert.equal(analysis.kmeans.contingency.flat().reduce((a, b) => a + b, 0), 128, 'every test image is in one cluster');
    assert.equal((readJson(path.join(outcome.runDir, 'points.json')) as { labels: number[] }).labels.length, 128);
    assert.deepEqual([...fs.readFileSync(path.join(outcome.runDir, 'reconstructions.png')).subarray(1, 4)], [0x50, 0x4e, 0x47]);
  });

  test('Cancel Running Job stops training and keeps the run, marked cancelled', async () => {
    const known = existingRuns();
    const training = vscode.commands.executeCommand<Outcome[]>('assignment2.trainAutoencoder', { ...tiny, epochs: 1000 });
    await runningRunWithAnEpoch(known);
    await vscode.commands.executeCommand('assignment2.cancelJob');
    const outcomes = await training;
    assert.equal(outcomes?.[0]?.status, 'cancelled');
    assert.equal(readJson(path.join(outcomes[0].runDir, 'run.json')).status, 'cancelled');
  });

  test('a killed engine fails its run at once, keeps its epochs, and the next command starts a new engine', async () => {
    const known = existingRuns();
    const training = vscode.commands.executeCommand('assignment2.trainAutoencoder', { ...tiny, epochs: 1000 });
    const runDir = await runningRunWithAnEpoch(known);
    const [pid] = enginePids();
    assert.ok(pid, 'no engine process found');
    process.kill(pid, 'SIGKILL');
    const killedAt = Date.now();
    await until('the run to be marked failed', () => readJson(path.join(runDir, 'run.json')).status === 'failed', 5_000);
    const reportedWithinMs = Date.now() - killedAt;
    assert.ok(reportedWithinMs < 1000, `marked failed after ${reportedWithinMs} ms`);
    const run = readJson(path.join(runDir, 'run.json'));
    assert.match(String(run.error), /was killed \(SIGKILL\)/);
    assert.ok(fs.readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').length >= 1, 'finished epochs are kept');
    assert.equal(await training, undefined, 'the command reports the failure instead of an outcome');

    const info = await vscode.commands.executeCommand<{ chosen: string }>('assignment2.showBackendInfo');
    assert.ok(info?.chosen, 'a new engine answers');
    const [newPid] = enginePids();
    assert.ok(newPid && newPid !== pid, `a fresh engine process runs (old ${pid}, new ${newPid})`);
  });

  test('an engine that stops answering is stopped after assignment2.engineTimeout, its run failed with its epochs kept', async () => {
    const config = vscode.workspace.getConfiguration('assignment2');
    await config.update('engineTimeout', 3, vscode.ConfigurationTarget.Workspace);
    try {
      const known = existingRuns();
      const training = vscode.commands.executeCommand('assignment2.trainAutoencoder', { ...tiny, epochs: 1000 });
      const runDir = await runningRunWithAnEpoch(known);
      const [pid] = enginePids();
      assert.ok(pid, 'no engine process found');
      process.kill(pid, 'SIGSTOP'); // alive, but silent: no heartbeat, no progress
      const stoppedAt = Date.now();
      await until('the run to be marked failed', () => readJson(path.join(runDir, 'run.json')).status === 'failed', 15_000);
      const reportedAfterMs = Date.now() - stoppedAt;
      assert.ok(reportedAfterMs >= 2_500 && reportedAfterMs < 6_000, `marked failed after ${reportedAfterMs} ms (timeout 3 s)`);
      assert.match(String(readJson(path.join(runDir, 'run.json')).error), /stopped answering \(nothing for \d+ s\)/);
      assert.ok(fs.readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').length >= 1, 'finished epochs are kept');
      assert.equal(await training, undefined, 'the command reports the failure instead of an outcome');
      assert.ok(!enginePids().includes(pid), 'the hung engine is gone');
      const info = await vscode.commands.executeCommand<{ chosen: string }>('assignment2.showBackendInfo');
      assert.ok(info?.chosen, 'a new engine answers');
    } finally {
      await config.update('engineTimeout', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});

suite('Q2b: the blur discriminator', () => {
  test('Train Blur Discriminator trains dis_net as a run with its accuracy and confusion matrix', async () => {
    const outcomes = await vscode.commands.executeCommand<(Outcome & { summary: { testAccuracy: number; confusion: number[][] } })[]>('assignment2.trainDisNet', {
      epochs: 2,
      batchSize: 64,
      learningRate: 0.003,
      trainImages: 1024,
      testImages: 200,
    });
    const [outcome] = outcomes ?? [];
    assert.equal(outcome?.status, 'completed');
    assert.ok(outcome.summary.testAccuracy > 0.8, `accuracy ${outcome.summary.testAccuracy}`);
    assert.equal(outcome.summary.confusion.flat().reduce((a, b) => a + b, 0), 400, '200 clear + 200 blurred test images');
    assert.ok(fs.existsSync(path.join(outcome.runDir, 'blur-samples.json')) && fs.existsSync(path.join(outcome.runDir, 'model.json')));
    // The judge follows, with the same settings and its own seed.
    const judge = outcomes![1];
    assert.equal(judge?.status, 'completed');
    const judgeRun = JSON.parse(fs.readFileSync(path.join(judge.runDir, 'run.json'), 'utf8'));
    assert.equal(judgeRun.job.kind, 'trainJudge');
    assert.ok(judge.summary.testAccuracy > 0.7, `judge accuracy ${judge.summary.testAccuracy}`);
  });

  test('Train Sharpened Autoencoder starts from the Q2a run and is judged by dis_net', async () => {
    const outcomes = await vscode.commands.executeCommand<Outcome[]>('assignment2.trainSharpened', { ...tiny, epochs: 1, lambda: 0.1, mode: 'alternating', start: 'q2a' });
    const [outcome] = outcomes ?? [];
    assert.equal(outcome?.status, 'completed');
    const run = readJson(path.join(outcome.runDir, 'run.json')) as { job: { config: { adversarial: { mode: string; initRunId?: string } } } };
    assert.equal(run.job.config.adversarial.mode, 'alternating');
    assert.ok(run.job.config.adversarial.initRunId, 'started from a Q2a run');
    const metrics = JSON.parse(fs.readFileSync(path.join(outcome.runDir, 'metrics.jsonl'), 'utf8').trim().split('\n')[0]);
    assert.ok(metrics.trainAdversarial > 0, 'the adversarial term is logged apart from L1');
    const analysis = readJson(path.join(outcome.runDir, 'analysis.json')) as { disNetClearScore?: number };
    assert.ok(analysis.disNetClearScore !== undefined && analysis.disNetClearScore >= 0 && analysis.disNetClearScore <= 1);
  });
});
