import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { findRepoRoot } from '../harness/repo';
import { SweepRecord, parseSeeds, sweepTasks } from '../../src/shared/experiment/sweep';
import { sweepId, sweepsDirOf } from '../../src/engine/sweep/sweepFolder';

const execFileAsync = promisify(execFile);
const bin = path.join(findRepoRoot(), 'bin', 'assignment2.js');

/** The command line, in a process of its own (its stdout is this file's test reporter): exit code, stdout and stderr. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [bin, ...args], { maxBuffer: 64 * 2 ** 20 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw err;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

const runFolders = (dir: string) => fs.readdirSync(dir).filter((name) => !name.startsWith('.'));
/** Q2b in miniature: (a) L=2 of 4 batches, dis_net and the judge, (b) frozen, each of one epoch. */
const TINY = ['--mode', 'frozen', '--latent', '2', '--epochs', '1', '--b-epochs', '1', '--train-images', '256', '--test-images', '128', '--warmup-steps', '0'];

test('a grid is every combination of the swept values, for each seed, settings varying slowest', () => {
  const tasks = sweepTasks({ base: ['--mode', 'frozen'], axes: [{ flag: '--lambda', values: ['0.001', '0.02'] }, { flag: '--sigma', values: ['1', '2'] }], seeds: [1, 2, 3] });
  assert.equal(tasks.length, 12);
  assert.deepEqual(tasks.map((t) => t.index), [...Array(12).keys()]);
  assert.deepEqual(tasks[0], { index: 0, seed: 1, setting: { '--lambda': '0.001', '--sigma': '1' }, flags: ['--mode', 'frozen', '--lambda', '0.001', '--sigma', '1', '--seed', '1'] });
  assert.deepEqual(tasks.slice(0, 4).map((t) => [t.setting['--lambda'], t.setting['--sigma'], t.seed]), [['0.001', '1', 1], ['0.001', '1', 2], ['0.001', '1', 3], ['0.001', '2', 1]]);
  assert.deepEqual(sweepTasks({ base: [], axes: [], seeds: [4] }).map((t) => t.flags), [['--seed', '4']]);
});

test('seeds are whole numbers and ranges, each once', () => {
  assert.deepEqual(parseSeeds('1-4'), [1, 2, 3, 4]);
  assert.deepEqual(parseSeeds('1-3,7, 9'), [1, 2, 3, 7, 9]);
  for (const bad of ['', '4-1', '1,1', '1-3,2', 'a', '1.5', '-1', '1-']) assert.equal(parseSeeds(bad), null, bad);
});

test("a sweep's id follows its grid, not the order its flags were given in", () => {
  const axes = [{ flag: '--lambda', values: ['0.1', '0.2'] }, { flag: '--sigma', values: ['1', '2'] }];
  const id = sweepId({ base: [], axes, seeds: [1, 2] });
  assert.match(id, /^sweep-[0-9a-f]{10}$/);
  assert.equal(sweepId({ base: [], axes: [...axes].reverse(), seeds: [1, 2] }), id);
  assert.notEqual(sweepId({ base: [], axes, seeds: [1, 3] }), id);
});

test('bad grids are refused before anything starts, naming the flag', async () => {
  const runsDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'a2-sweep-bad-')), 'runs');
  const cases: [string[], RegExp][] = [
    [['--lambda', '0.1,0.1'], /--lambda 0\.1,0\.1 gives a value twice/],
    [['--lambda', '0.1,,0.2'], /--lambda 0\.1,,0\.2 has an empty value/],
    [['--lambda', '0.1,abc'], /--lambda must be a number, got "abc"/],
    [['--epochs', '1,0'], /--epochs 0 is not allowed/],
    [['--mode', 'frozen,sideways'], /--mode sideways is not allowed/],
    [['--seeds', '4-1'], /--seeds 4-1 is not allowed/],
    [['--seed', '1'], /Unknown option '--seed'/],
    [['--jobs', '0'], /--jobs 0 is not allowed/],
  ];
  for (const [args, message] of cases) {
    const { code, stderr } = await cli(['sweep', ...args, '--runs-dir', runsDir, '--plan']);
    assert.equal(code, 2, args.join(' '));
    assert.match(stderr, message);
  }
  assert.equal(fs.existsSync(runsDir), false, 'nothing was written');
  assert.equal(fs.existsSync(sweepsDirOf(runsDir)), false);
});

test('a sweep of 2 seeds × 2 λ runs every task, shares what the tasks share, and a second submission starts nothing', { timeout: 600_000 }, async () => {
  const runsDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'a2-sweep-')), 'runs');
  const args = ['sweep', ...TINY, '--lambda', '0.001,0.02', '--seeds', '1-2', '--runs-dir', runsDir];

  const plan = await cli([...args, '--plan', '--json']);
  assert.equal(plan.code, 0, plan.stderr);
  const planned = JSON.parse(plan.stdout) as { tasks: { plan: { steps: { action: string }[] } }[] };
  assert.equal(planned.tasks.length, 4);
  assert.ok(planned.tasks.every((t) => t.plan.steps.filter((s) => s.action === 'train').length === 4), 'each task alone would train (a), dis_net, the judge and (b)');
  assert.equal(fs.existsSync(runsDir), false, '--plan starts nothing');

  const first = await cli([...args, '--jobs', '2', '--json']);
  assert.equal(first.code, 0, first.stderr);
  const record = SweepRecord.parse(JSON.parse(first.stdout));
  assert.deepEqual(record.tasks.map((t) => t.status), ['completed', 'completed', 'completed', 'completed']);
  // Per seed: (a), dis_net and the judge, shared by both λ; and one (b) per task.
  assert.equal(runFolders(runsDir).length, 2 * 3 + 4);
  for (const task of record.tasks) {
    assert.equal(task.runIds.length, 4, `task ${task.index} names its (a), dis_net, judge and (b)`);
    for (const id of task.runIds) assert.equal(JSON.parse(fs.readFileSync(path.join(runsDir, id, 'run.json'), 'utf8')).status, 'completed');
  }
  const [a0, a2] = [record.tasks[0], record.tasks[2]];
  assert.deepEqual(a0.runIds.slice(0, 3), a2.runIds.slice(0, 3), 'the tasks of seed 1 share (a), dis_net and the judge');
  assert.notEqual(a0.runIds[3], a2.runIds[3]);
  const dir = path.join(sweepsDirOf(runsDir), record.id);
  const logs = record.tasks.map((t) => fs.readFileSync(path.join(dir, t.log), 'utf8'));
  assert.ok(logs.every((log) => log.startsWith('$ assignment2 q2b')));

  // Again: every task's plan trains nothing, so no process starts and no log grows.
  const again = await cli([...args, '--json']);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(runFolders(runsDir).length, 10);
  assert.deepEqual(record.tasks.map((t) => fs.readFileSync(path.join(dir, t.log), 'utf8')), logs);

  // A task killed mid-run left its (b) unfinished: the next submission trains that task's missing run alone.
  const lost = a2.runIds[3];
  fs.rmSync(path.join(runsDir, lost), { recursive: true });
  const recorded = SweepRecord.parse(JSON.parse(fs.readFileSync(path.join(dir, 'sweep.json'), 'utf8')));
  recorded.tasks[2].status = 'running';
  fs.writeFileSync(path.join(dir, 'sweep.json'), JSON.stringify(recorded));
  const resumed = await cli([...args, '--json']);
  assert.equal(resumed.code, 0, resumed.stderr);
  const after = SweepRecord.parse(JSON.parse(resumed.stdout));
  assert.deepEqual(after.tasks.map((t) => t.status), ['completed', 'completed', 'completed', 'completed']);
  assert.equal(runFolders(runsDir).length, 10);
  assert.deepEqual(after.tasks[2].runIds.slice(0, 3), a2.runIds.slice(0, 3), 'the finished (a), dis_net and judge were reused');
  assert.notEqual(after.tasks[2].runIds[3], lost);
  const logsAfter = after.tasks.map((t) => fs.readFileSync(path.join(dir, t.log), 'utf8'));
  assert.deepEqual([0, 1, 3].map((i) => logsAfter[i]), [0, 1, 3].map((i) => logs[i]), 'no other task started');
  assert.ok(logsAfter[2].length > logs[2].length);
});
