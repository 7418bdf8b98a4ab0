import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { findRepoRoot } from '../harness/repo';
import { SweepRecord, parseSeeds, sweepTasks } from '../../src/shared/experiment/sweep';
import { sweepId, sweepReportFiles, sweepsDirOf } from '../../src/engine/sweep/sweepFolder';
import type { SweepResults } from '../../src/engine/sweep/report/sweepResults';
import { sweepFigureChart } from '../../src/shared/charts/sweepCharts';
import { sweepFigureSpecs } from '../../src/engine/sweep/report/sweepFigures';
import type { Q2bVerdict } from '../../src/shared/q2b/verdict';
import { readPngInfo } from '../harness/png';

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
  const planned = JSON.parse(plan.stdout) as { tasks: { plan: { steps: { action: string; job: string; seconds: number }[] } }[]; seconds: number };
  assert.equal(planned.tasks.length, 4);
  assert.ok(planned.tasks.every((t) => t.plan.steps.filter((s) => s.action === 'train').length === 4), 'each task alone would train (a), dis_net, the judge and (b)');
  // The tasks of one seed share (a), dis_net and the judge, and nothing with the other seed's: the total counts each once.
  const jobs = planned.tasks.map((t) => t.plan.steps.map((s) => s.job));
  assert.deepEqual(jobs[2].slice(0, 3), jobs[0].slice(0, 3));
  assert.notEqual(jobs[2][3], jobs[0][3]);
  assert.equal(jobs[1].filter((j) => jobs[0].includes(j)).length, 0);
  const once = new Map(planned.tasks.flatMap((t) => t.plan.steps.map((s) => [s.job, s.seconds] as const)));
  assert.equal(once.size, 2 * 3 + 4);
  assert.ok(Math.abs(planned.seconds - [...once.values()].reduce((a, b) => a + b, 0)) < 1e-9);
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

  checkReport(dir, runsDir, record, 4);

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
  const redrawn = checkReport(dir, runsDir, after, 4);
  assert.ok(redrawn.runs.some((r) => r.runId === after.tasks[2].runIds[3]), "the report has the re-run task's new (b)");

  // What the report lacks, it names: a task that failed (with its log) and a run deleted since its task ended.
  const damaged = SweepRecord.parse(JSON.parse(fs.readFileSync(path.join(dir, 'sweep.json'), 'utf8')));
  damaged.tasks[3] = { ...damaged.tasks[3], status: 'failed', error: `exited with 1; see ${path.join(dir, damaged.tasks[3].log)}` };
  fs.writeFileSync(path.join(dir, 'sweep.json'), JSON.stringify(damaged));
  fs.rmSync(path.join(runsDir, damaged.tasks[1].runIds[3]), { recursive: true });
  const report = await cli(['sweep-report', dir, '--json']);
  assert.equal(report.code, 0, report.stderr);
  const { gaps } = JSON.parse(report.stdout) as { gaps: string[] };
  assert.equal(gaps.length, 2, gaps.join('\n'));
  assert.match(gaps[0], /^task 1 \(λ 0\.001, seed 2\): none of its runs .* has a verdict/);
  assert.match(gaps[1], /^task 3 \(λ 0\.02, seed 2\) is failed: exited with 1; see .*task-3\.log$/);
  const partial = JSON.parse(fs.readFileSync(sweepReportFiles(dir).json, 'utf8')) as SweepResults;
  assert.deepEqual(partial.rows.map((r) => [r.setting['--lambda'], r.model, r.seeds]), [['0.001', '(a)', [1]], ['0.001', '(b) frozen', [1]], ['0.02', '(a)', [1]], ['0.02', '(b) frozen', [1]]]);
  assert.match(fs.readFileSync(sweepReportFiles(dir).markdown, 'utf8'), /Not in this report:[\s\S]*task 3 \(λ 0\.02, seed 2\) is failed/);
});

test('figures against a setting: λ on a log axis, names placed evenly, and room for every error bar', () => {
  const points = (values: string[]) => values.map((value, i) => ({ value, mean: 1 + i, sd: 0.5 }));
  const lambda = sweepFigureChart([{ label: '(b)', color: '#000', points: points(['0.001', '0.005', '0.02']) }], ['0.001', '0.005', '0.02'], 'λ', 'test L1');
  const x = lambda.options!.scales!.x as { type: string; min: number; max: number };
  assert.equal(x.type, 'logarithmic');
  assert.ok(x.min < 0.001 && x.max > 0.02);
  const lambdaAxis = lambda.options!.scales!.x as unknown as { afterBuildTicks(scale: { ticks: { value: number }[] }): void; ticks: { callback(v: number): string } };
  const scale = { ticks: [{ value: 0.01 }] };
  lambdaAxis.afterBuildTicks(scale);
  assert.deepEqual(scale.ticks.map((t) => lambdaAxis.ticks.callback(t.value)), ['0.001', '0.005', '0.02'], 'ticks at the swept values alone, as given');
  const y = lambda.options!.scales!.y as { suggestedMin: number; suggestedMax: number };
  assert.deepEqual([y.suggestedMin, y.suggestedMax], [0.5, 3.5]);
  assert.deepEqual(lambda.data.datasets[0].data, [{ x: 0.001, y: 1, sd: 0.5 }, { x: 0.005, y: 2, sd: 0.5 }, { x: 0.02, y: 3, sd: 0.5 }]);
  assert.equal((sweepFigureChart([], ['1', '2', '3'], 'σ', 'L1').options!.scales!.x as { type: string }).type, 'linear');
  const modes = sweepFigureChart([{ label: '(b)', color: '#000', points: points(['alternating', 'frozen']).reverse() }], ['frozen', 'alternating'], 'mode', 'L1');
  assert.deepEqual(modes.data.datasets[0].data.map((p) => p.x), [0, 1], 'frozen, then alternating, as given');
  const ticks = (modes.options!.scales!.x as { ticks: { callback(v: number): string } }).ticks;
  assert.deepEqual([0, 1, 2].map((v) => ticks.callback(v)), ['frozen', 'alternating', '']);
});

/**
 * The report written over `record`: its files, and its means and sds checked against the runs'
 * own verdict.json files, recomputed here.
 */
function checkReport(dir: string, runsDir: string, record: SweepRecord, tasks: number) {
  const files = sweepReportFiles(dir);
  for (const file of Object.values(files)) assert.ok(fs.existsSync(file), file);
  const results = JSON.parse(fs.readFileSync(files.json, 'utf8')) as SweepResults;
  assert.deepEqual(results.tasks, { total: tasks, completed: tasks });
  assert.deepEqual(results.gaps, []);
  const verdicts = record.tasks.map((t) => JSON.parse(fs.readFileSync(path.join(runsDir, t.runIds[3], 'verdict.json'), 'utf8')) as Q2bVerdict);
  for (const lambda of ['0.001', '0.02']) {
    const ofLambda = record.tasks.flatMap((t, i) => (t.setting['--lambda'] === lambda ? [verdicts[i]] : []));
    for (const [model, side] of [['(a)', 'a'], ['(b) frozen', 'b']] as const) {
      const row = results.rows.find((r) => r.setting['--lambda'] === lambda && r.model === model);
      assert.ok(row, `a row for λ ${lambda} ${model}`);
      assert.deepEqual(row.seeds, [1, 2]);
      const values = ofLambda.map((v) => v[side].testL1);
      const mean = (values[0] + values[1]) / 2;
      assert.ok(Math.abs(row.metrics.testL1.mean - mean) < 1e-12);
      assert.ok(Math.abs(row.metrics.testL1.sd - Math.abs(values[0] - values[1]) / Math.SQRT2) < 1e-12);
      assert.ok(Math.abs(row.metrics.judgeClearScore.mean - (ofLambda[0][side].judgeClearScore + ofLambda[1][side].judgeClearScore) / 2) < 1e-12);
    }
  }
  assert.equal(fs.readFileSync(files.csv, 'utf8').trim().split('\n').length, 1 + 4, 'a header and (a), (b) for each λ');
  assert.equal(fs.readFileSync(files.runsCsv, 'utf8').trim().split('\n').length, 1 + 2 * tasks, 'a header and (a), (b) for each task');
  const figures = fs.readdirSync(path.join(dir, 'report', 'figures')).sort();
  assert.deepEqual(figures, ['lambda-judge-score.png', 'lambda-sharpness-distance.png', 'lambda-test-l1.png']);
  for (const figure of figures) assert.equal(readPngInfo(path.join(dir, 'report', 'figures', figure)).width, 900, figure);
  const html = fs.readFileSync(files.html, 'utf8');
  assert.equal(html.match(/<img src="data:image\/png;base64,/g)?.length, 3, 'every figure inlined');
  assert.match(html, /<h1>Sweep sweep-[0-9a-f]{10}: λ 0\.001, 0\.02 × seeds 1, 2<\/h1>/);
  return results;
}

test("figures go along each swept flag, and along the latent size when tasks train several; (a) is one line where the flag does not change it", () => {
  const spread = (mean: number) => ({ mean, sd: 0.01, min: mean, max: mean });
  const figures = { testL1: 0.1, sharpness: 0.5, sharpnessDistance: 0.5, disNetClearScore: 0.5, judgeClearScore: 0.9 };
  const grid = (aRunOf: (lambda: string, latent: number) => string) => {
    const rows: SweepResults['rows'] = [];
    const runs: SweepResults['runs'] = [];
    for (const lambda of ['0.001', '0.02']) {
      for (const latent of [2, 16]) {
        for (const model of ['(a)', '(b) frozen'] as const) {
          rows.push({ setting: { '--lambda': lambda }, latent, model, seeds: [1], metrics: { testL1: spread(latent), sharpnessDistance: spread(0.5), judgeClearScore: spread(0.9) }, collapsed: 0 });
          runs.push({ task: 0, setting: { '--lambda': lambda }, seed: 1, latent, model, runId: model === '(a)' ? aRunOf(lambda, latent) : `b-${latent}-${lambda}`, figures, collapsed: false });
        }
      }
    }
    return { axes: [{ flag: '--lambda', values: ['0.001', '0.02'] }], seeds: [1], rows, runs } as unknown as SweepResults;
  };
  const drawn = (results: SweepResults) => sweepFigureSpecs(results).map((f) => ({ along: f.dimension.flag, metric: f.metric.key, series: f.series.map((s) => `${s.label}: ${s.points.map((p) => p.value).join(' ')}`) }));

  const shared = drawn(grid((_, latent) => `a-${latent}`));
  assert.deepEqual(shared.map((f) => `${f.along} ${f.metric}`), ['--lambda testL1', '--lambda sharpnessDistance', '--lambda judgeClearScore', '--latent testL1', '--latent sharpnessDistance', '--latent judgeClearScore']);
  assert.deepEqual(shared[0].series, ['(a) L=2: 0.001 0.02', '(b) frozen L=2: 0.001 0.02', '(a) L=16: 0.001 0.02', '(b) frozen L=16: 0.001 0.02']);
  assert.deepEqual(shared[3].series, ['(a): 2 16', '(b) frozen, λ 0.001: 2 16', '(b) frozen, λ 0.02: 2 16']);
  // A flag that changes (a) (its (a) runs differ by λ) names the (a) lines too.
  const own = drawn(grid((lambda, latent) => `a-${latent}-${lambda}`));
  assert.deepEqual(own[3].series, ['(a), λ 0.001: 2 16', '(b) frozen, λ 0.001: 2 16', '(a), λ 0.02: 2 16', '(b) frozen, λ 0.02: 2 16']);
  // Along --mode a figure would draw each model at one point: there is none.
  const byMode = { ...grid((_, latent) => `a-${latent}`), axes: [{ flag: '--mode', values: ['frozen', 'alternating'] }] } as SweepResults;
  assert.deepEqual(drawn({ ...byMode, rows: byMode.rows.filter((r) => r.latent === 2) }), []);
});
