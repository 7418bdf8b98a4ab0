import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findRepoRoot } from '../harness/repo';

interface Outcome {
  runId: string;
  runDir: string;
  status: string;
}

const TINY = { epochs: 2, trainImages: 512, testImages: 128, batchSize: 64, warmupSteps: 0 };
/** The palette commands take experiment overrides, the same the command line's flags make. */
const tiny = { latents: [2], autoencoder: TINY };
const longer = { latents: [2], autoencoder: { ...TINY, epochs: 1000 } };
const TINY_FLAGS = ['--epochs', '2', '--train-images', '512', '--test-images', '128', '--batch-size', '64', '--warmup-steps', '0'];

/** The command line of this checkout, on the workspace's runs folder. */
function cli(args: string[]): string {
  return execFileSync(process.execPath, [path.join(findRepoRoot(__dirname), 'bin', 'assignment2.js'), ...args, '--runs-dir', runsDir()], { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
}

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
    const training = vscode.commands.executeCommand<Outcome[]>('assignment2.trainAutoencoder', longer);
    await runningRunWithAnEpoch(known);
    await vscode.commands.executeCommand('assignment2.cancelJob');
    const outcomes = await training;
    assert.equal(outcomes?.[0]?.status, 'cancelled');
    assert.equal(readJson(path.join(outcomes[0].runDir, 'run.json')).status, 'cancelled');
  });

  test('a killed engine interrupts its run at once, keeps its epochs, the next command starts a new engine, and Resume Run continues the run', async () => {
    const known = existingRuns();
    const training = vscode.commands.executeCommand('assignment2.trainAutoencoder', longer);
    const runDir = await runningRunWithAnEpoch(known);
    await until('the first epoch\'s checkpoint', () => fs.existsSync(path.join(runDir, 'checkpoint.bin')));
    const [pid] = enginePids();
    assert.ok(pid, 'no engine process found');
    process.kill(pid, 'SIGKILL');
    const killedAt = Date.now();
    await until('the run to be marked interrupted', () => readJson(path.join(runDir, 'run.json')).status === 'interrupted', 5_000);
    const reportedWithinMs = Date.now() - killedAt;
    assert.ok(reportedWithinMs < 1000, `marked interrupted after ${reportedWithinMs} ms`);
    const run = readJson(path.join(runDir, 'run.json'));
    assert.match(String(run.error), /was killed \(SIGKILL\)/);
    assert.ok(fs.readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').length >= 1, 'finished epochs are kept');
    assert.equal(await training, undefined, 'the command reports the failure instead of an outcome');

    const info = await vscode.commands.executeCommand<{ chosen: string }>('assignment2.showBackendInfo');
    assert.ok(info?.chosen, 'a new engine answers');
    const [newPid] = enginePids();
    assert.ok(newPid && newPid !== pid, `a fresh engine process runs (old ${pid}, new ${newPid})`);

    // Resume Run continues from the last finished epoch: the epochs on disk are kept and more follow.
    const epochsAt = () => fs.readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line).epoch as number);
    const kept = epochsAt();
    const resumed = vscode.commands.executeCommand<Outcome>('assignment2.resumeRun', path.basename(runDir));
    await until('the resumed run to finish another epoch', () => epochsAt().length > kept.length, 60_000);
    const epochs = epochsAt();
    assert.deepEqual(epochs, epochs.map((_, i) => i + 1), 'the epochs go on where the checkpoint left them, none twice');
    await vscode.commands.executeCommand('assignment2.cancelJob');
    assert.equal((await resumed)?.status, 'cancelled');
    assert.equal(readJson(path.join(runDir, 'run.json')).status, 'cancelled');
  });

  test('an engine that stops answering is stopped after assignment2.engineTimeout, its run interrupted with its epochs kept', async () => {
    const config = vscode.workspace.getConfiguration('assignment2');
    await config.update('engineTimeout', 3, vscode.ConfigurationTarget.Workspace);
    try {
      const known = existingRuns();
      const training = vscode.commands.executeCommand('assignment2.trainAutoencoder', longer);
      const runDir = await runningRunWithAnEpoch(known);
      const [pid] = enginePids();
      assert.ok(pid, 'no engine process found');
      process.kill(pid, 'SIGSTOP'); // alive, but silent: no heartbeat, no progress
      const stoppedAt = Date.now();
      await until('the run to be marked interrupted', () => readJson(path.join(runDir, 'run.json')).status === 'interrupted', 15_000);
      const reportedAfterMs = Date.now() - stoppedAt;
      assert.ok(reportedAfterMs >= 2_500 && reportedAfterMs < 6_000, `marked interrupted after ${reportedAfterMs} ms (timeout 3 s)`);
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
      disNet: { epochs: 2, batchSize: 64, learningRate: 0.003 },
      autoencoder: { trainImages: 1024, testImages: 200 },
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

  test('a command-line training killed with SIGKILL is seen as interrupted by VS Code, with no file changed to tell it', async () => {
    const known = existingRuns();
    const args = [path.join(findRepoRoot(__dirname), 'bin', 'assignment2.js'), 'train', '--latent', '2', ...TINY_FLAGS, '--epochs', '1000', '--runs-dir', runsDir()];
    const child = spawn(process.execPath, args, { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: 'ignore' });
    try {
      const runDir = await runningRunWithAnEpoch(known);
      await until('the first epoch\'s checkpoint', () => fs.existsSync(path.join(runDir, 'checkpoint.bin')));
      const api = vscode.extensions.getExtension<{ runs(): { ok: boolean; dir: string; run?: { status: string } }[] }>('assignment2.assignment2-workbench')!.exports;
      await until('VS Code to list the run as running', () => api.runs().find((r) => r.dir === runDir)?.run?.status === 'running', 30_000);
      child.kill('SIGKILL');
      await until('VS Code to list the run as interrupted', () => api.runs().find((r) => r.dir === runDir)?.run?.status === 'interrupted', 30_000);
      assert.match(String(readJson(path.join(runDir, 'run.json')).error), /Interrupted/);
    } finally {
      child.kill('SIGKILL');
    }
  });

  test('runs are reused across front ends: the command line plans to reuse a run made in VS Code, and Q2b in VS Code reuses one made by the command line', async () => {
    // Train Autoencoder (above) made the L=2 run; the command line's plan for the same settings reuses it.
    const made = fs.readdirSync(runsDir()).find((id) => id.includes('-ae2-'));
    const plan = JSON.parse(cli(['q2a', '--latent', '2', ...TINY_FLAGS, '--plan', '--json']));
    assert.deepEqual(plan.steps.map((s: { action: string; runId?: string }) => [s.action, s.runId]), [['reuse', made]]);
    // The command line trains L=16; Train Sharpened in VS Code then builds (b) on that very run.
    const before = existingRuns();
    const trained = JSON.parse(cli(['q2a', '--latent', '16', ...TINY_FLAGS, '--json']));
    const cliRun = trained.bySeed[0].q2a.runs[0].runId as string;
    assert.ok(!before.has(cliRun));
    const outcome = await vscode.commands.executeCommand<{ completed: boolean; runIds: string[] }>('assignment2.trainSharpened', { latents: [16], autoencoder: TINY, sharpen: { epochs: 1, lambda: 0.1, mode: 'alternating' } });
    assert.equal(outcome?.completed, true);
    assert.ok(outcome.runIds.includes(cliRun), 'the CLI run is among the runs Q2b used');
    assert.equal(fs.readdirSync(runsDir()).filter((id) => id.includes('-ae16-')).length, 1, 'no second L=16 (a) was trained');
    const bId = outcome.runIds.find((id) => id.includes('-ae16b-'))!;
    const run = readJson(path.join(runsDir(), bId, 'run.json')) as { job: { config: { adversarial: { mode: string; initRunId?: string } } } };
    assert.equal(run.job.config.adversarial.mode, 'alternating');
    assert.equal(run.job.config.adversarial.initRunId, cliRun, '(b) started from the run the command line trained');
    const metrics = JSON.parse(fs.readFileSync(path.join(runsDir(), bId, 'metrics.jsonl'), 'utf8').trim().split('\n')[0]);
    assert.ok(metrics.trainAdversarial > 0, 'the adversarial term is logged apart from L1');
    // The verdict is stored with (b), whoever started it.
    const verdict = readJson(path.join(runsDir(), bId, 'verdict.json')) as { a: { runId: string }; observation: string };
    assert.equal(verdict.a.runId, cliRun);
    assert.match(verdict.observation, /^L=16, alternating: \(b\) (is|is not|has collapsed)/);
    const analysis = readJson(path.join(runsDir(), bId, 'analysis.json')) as { disNetClearScore?: number };
    assert.ok(analysis.disNetClearScore !== undefined && analysis.disNetClearScore >= 0 && analysis.disNetClearScore <= 1);
  });
});
