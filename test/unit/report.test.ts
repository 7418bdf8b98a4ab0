import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { EngineEvent } from '../../src/engine/protocol';
import { ExperimentOverrides } from '../../src/shared/experiment/overrides';
import { ExperimentResult, runExperiment } from '../../src/engine/jobs/experiment';
import { planExperiment, progressPlanOf } from '../../src/engine/jobs/plan';
import { clock } from '../../src/shared/experiment/plan';
import { main } from '../../src/engine/cli/main';
import { Q2bFigures, judgeQ2b } from '../../src/shared/q2b/verdict';
import { exportReport } from '../../src/engine/report/exportReport';
import { reportHtml } from '../../src/engine/report/html';
import { collectReportInputs } from '../../src/engine/report/inputs';
import { toCsv } from '../../src/shared/csv';
import { toMarkdown } from '../../src/engine/report/tables';
import { spread } from '../../src/runs/seeds';
import { readPngInfo } from '../harness/png';

/** The run folders in a runs folder (not the locks beside them). */
const runFolders = (dir: string) => fs.readdirSync(dir).filter((name) => !name.startsWith('.'));
const tmp = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `a2-report-${name}-`));

/** The whole assignment, tiny: three (a) of 4 batches, dis_net and the judge of one epoch, (b) of one epoch. */
const overrides: ExperimentOverrides = {
  autoencoder: { epochs: 1, batchSize: 64, warmupSteps: 0, trainImages: 256, testImages: 100, seed: 2 },
  disNet: { epochs: 1, batchSize: 64 },
  sharpen: { epochs: 1 },
};
const answerAll = (outDir: string, ctx: ReturnType<typeof context>) => runExperiment({ kind: 'all', overrides, outDir, command: 'test' }, ctx);

function context(runsDir: string, events: EngineEvent[] = []) {
  return { jobId: 'test', runsDir, backend: 'wasm' as const, signal: new AbortController().signal, emit: (e: EngineEvent) => events.push(e) };
}

const runsDir = tmp('runs');
const outDir = path.join(tmp('out'), 'assignment2-report');
let first: ExperimentResult;
const q2bOf = (result: ExperimentResult) => result.bySeed[0].q2b!;

before(async () => {
  first = await answerAll(outDir, context(runsDir));
});

test('answerAll trains every part and writes a report made of exactly those runs', () => {
  const report = first.report!;
  assert.deepEqual(report.missing, []);
  assert.equal(runFolders(runsDir).length, 1 + 3 + 1 + 1 + 6, 'Q1, three (a), dis_net, the judge, three (b) frozen, three (b) alternating');
  const results = JSON.parse(fs.readFileSync(path.join(outDir, 'results.json'), 'utf8'));
  assert.equal(results.q1.runId, first.q1RunId);
  assert.deepEqual(results.q2a.runs.map((r: { runId: string }) => r.runId), q2bOf(first).q2a.runs.map((r) => r.runId));
  assert.deepEqual(results.q2b.comparison.map((c: { b: { runId: string } }) => c.b.runId), q2bOf(first).verdicts.map((c) => c.b.runId));
  // The judge is its own run, and its scores are kept in each compared run's judged.json.
  assert.equal(results.q2b.judge.runId, q2bOf(first).judge!.runId);
  assert.notEqual(q2bOf(first).judge!.runId, q2bOf(first).disNet!.runId);
  for (const { a, b } of q2bOf(first).verdicts) {
    for (const x of [a, b]) {
      const judged = JSON.parse(fs.readFileSync(path.join(runsDir, x.runId, 'judged.json'), 'utf8'));
      assert.deepEqual([judged.judgeRunId, judged.judgeClearScore, judged.disNetClearScore], [q2bOf(first).judge!.runId, x.judgeClearScore, x.disNetClearScore]);
      assert.equal(x.sharpnessDistance, Math.abs(1 - x.sharpness));
    }
  }
  // The report's figures match the run's own analysis file.
  const analysis = JSON.parse(fs.readFileSync(path.join(runsDir, results.q2a.runs[1].runId, 'analysis.json'), 'utf8'));
  assert.equal(results.q2a.runs[1].testL1, analysis.testL1);
  assert.equal(results.q2a.runs[1].kmeans.nmi, analysis.kmeans.nmi);
  for (const figure of report.figures) readPngInfo(path.join(outDir, figure));
  assert.equal(report.figures.length, 17);
  // The decoder's manifold of the L=2 run, under its scatter, drawn at the scatters' size.
  assert.ok(report.figures.includes('figures/q2a-latent-2-manifold.png'), `figures: ${report.figures}`);
  const manifold = readPngInfo(path.join(outDir, 'figures/q2a-latent-2-manifold.png'));
  assert.deepEqual([manifold.width, manifold.height], [760, 700]);
  const markdown = fs.readFileSync(report.reportFile, 'utf8');
  assert.ok(markdown.includes(`| 16 | \`${results.q2a.runs[1].runId}\` | 1 |`));
  // Each size has (a) once, then (b) of each mode, in the table and in the comparison grid's rows.
  assert.deepEqual(results.q2b.comparison.map((c: { latent: number; mode: string }) => `${c.latent} ${c.mode}`), ['2 frozen', '2 alternating', '16 frozen', '16 alternating', '256 frozen', '256 alternating']);
  const rows = markdown.split('\n').filter((l) => /^\| 16 \| \((a|b)\)/.test(l)).map((l) => l.split(' | ')[1]);
  assert.deepEqual(rows, ['(a) L1', '(b) frozen, λ = 0.1', '(b) alternating, λ = 0.005']);
  assert.match(markdown, /\*\*alternating\*\*, λ = 0\.005: dis_net keeps learning.*rate 0\.0003.*target 0\.9/);
});

test('report.html holds the report with every figure inlined, loads nothing else, and keeps raw HTML as text', () => {
  const report = first.report!;
  const html = fs.readFileSync(report.htmlFile, 'utf8');
  const markdown = fs.readFileSync(report.reportFile, 'utf8');
  // Every figure report.md names is in the page, byte for byte, and in the same order.
  const named = [...markdown.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
  const inlined = [...html.matchAll(/<img src="data:image\/png;base64,([^"]+)"/g)].map((m) => m[1]);
  assert.equal(inlined.length, named.length);
  named.forEach((file, i) => assert.equal(inlined[i], fs.readFileSync(path.join(outDir, file)).toString('base64'), file));
  assert.doesNotMatch(html, /(src|href)="(?!data:)/, 'no reference to another file or site');
  assert.match(html, /default-src 'none'; img-src data:/);
  assert.match(html, /@media print[\s\S]*table, img, blockquote, pre, li \{ break-inside: avoid; \}/);
  assert.ok(html.includes('<h2>Q2a — MNIST autoencoders with 2-, 16- and 256-D latents, L1 loss</h2>'));
  assert.ok(html.includes('<details><summary>L=16: the cluster × digit table of its K-means</summary>'));
  assert.equal((html.match(/<table>/g) ?? []).length, (markdown.match(/^\| --- \|/gm) ?? []).length, 'every Markdown table is an HTML table');
  const dir = tmp('html');
  assert.match(reportHtml('# T\n\nA run named <img src=x onerror=alert(1)> and <script>alert(2)</script>\n', dir), /named &#60;img src=x onerror=alert\(1\)&#62; and &#60;script&#62;/);
  assert.throws(() => reportHtml('![x](../../etc/passwd.png)\n', dir), /outside its figures/);
  assert.throws(() => reportHtml('![x](figures/none.png)\n', dir), /ENOENT/);
});

test('the plan lists the jobs that will train, in order, and none once all can be reused', () => {
  const costs = progressPlanOf(planExperiment('all', overrides, tmp('empty-plan'))).jobs.map((j) => `${j.batches}×${j.cost}`);
  // Three (a) of 4 batches, dis_net and the judge, then (b) frozen and alternating for each size.
  assert.deepEqual(costs, ['4×1', '4×1', '4×1', '4×1.4', '4×3', '4×1.7', '4×4.2', '4×1.7', '4×4.2', '4×1.7', '4×4.2']);
  const again = planExperiment('all', overrides, runsDir);
  assert.deepEqual(progressPlanOf(again).jobs, []);
  assert.deepEqual(again.steps.filter((s) => s.action === 'reuse').map((s) => s.runId).sort(), [first.q1RunId, ...q2bOf(first).q2a.runs.map((r) => r.runId), q2bOf(first).disNet!.runId, q2bOf(first).judge!.runId, ...q2bOf(first).verdicts.map((v) => v.b.runId)].sort());
});

test('a second answerAll reuses every run, and rewrites the report in place', async () => {
  const before = runFolders(runsDir).sort();
  const events: EngineEvent[] = [];
  const again = await answerAll(outDir, context(runsDir, events));
  assert.deepEqual(runFolders(runsDir).sort(), before, 'no new run folders');
  assert.equal(events.filter((e) => e.type === 'jobStarted').length, 0);
  assert.equal(again.q1RunId, first.q1RunId);
  assert.deepEqual(fs.readdirSync(path.dirname(outDir)), ['assignment2-report'], 'no staging folders left behind');
});

test('a cancelled export leaves the previous report as it was and no half-written folder', async () => {
  const reportBefore = fs.readFileSync(path.join(outDir, 'report.md'), 'utf8');
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(
    exportReport(collectReportInputs(runsDir), outDir, { signal: controller.signal, backend: 'wasm', versions: {}, command: 'test', log: () => undefined }),
    /cancelled/,
  );
  assert.equal(fs.readFileSync(path.join(outDir, 'report.md'), 'utf8'), reportBefore);
  assert.deepEqual(fs.readdirSync(path.dirname(outDir)), ['assignment2-report']);
});

test('an export cancelled midway, after its first figures, leaves the previous report as it was and no staging folder', async () => {
  const reportBefore = fs.readFileSync(path.join(outDir, 'report.md'), 'utf8');
  const controller = new AbortController();
  const stagedFigures: string[] = [];
  const log = (message: string) => {
    if (message !== 'Drawing Q2a…') return;
    // Q1's figures are in the staging folder by now.
    const staging = fs.readdirSync(path.dirname(outDir)).find((name) => name.includes('.partial-'))!;
    stagedFigures.push(...fs.readdirSync(path.join(path.dirname(outDir), staging, 'figures')));
    controller.abort();
  };
  await assert.rejects(exportReport(collectReportInputs(runsDir), outDir, { signal: controller.signal, backend: 'wasm', versions: {}, command: 'test', log }), /cancelled/);
  assert.ok(stagedFigures.includes('q1-landscape.png'), `the cancel came after figures were drawn: ${stagedFigures}`);
  assert.equal(fs.readFileSync(path.join(outDir, 'report.md'), 'utf8'), reportBefore);
  assert.deepEqual(fs.readdirSync(path.dirname(outDir)), ['assignment2-report']);
});

test('a report from an empty runs folder names every missing part and draws nothing', async () => {
  const out = path.join(tmp('empty'), 'report');
  const summary = await exportReport(collectReportInputs(tmp('no-runs')), out, { signal: new AbortController().signal, backend: 'wasm', versions: {}, command: 'test', log: () => undefined });
  assert.deepEqual(summary.missing.map((m) => `${m.part}${m.latent ?? ''}${m.mode ? ` ${m.mode}` : ''}`), [
    'q1', 'q2a2', 'q2a16', 'q2a256', 'disNet', 'judge', 'q2b2 frozen', 'q2b2 alternating', 'q2b16 frozen', 'q2b16 alternating', 'q2b256 frozen', 'q2b256 alternating',
  ]);
  assert.deepEqual(summary.figures, []);
  const report = fs.readFileSync(summary.reportFile, 'utf8');
  assert.match(report, /Missing parts/);
  assert.doesNotMatch(report, /^## Q/m);
});

test('the newest finished run of each part is chosen, and a (b) is compared with the run it started from', () => {
  const inputs = collectReportInputs(runsDir);
  assert.deepEqual(inputs.missing, []);
  for (const { a, b } of inputs.q2b) assert.equal(b.item.run.job.kind === 'trainAutoencoder' && b.item.run.job.config.adversarial?.initRunId, a.item.run.id);
});

test('CSV cells are quoted when they must be, and Markdown cells escape pipes', () => {
  const table = { header: ['a', 'b'], rows: [['x,y', 'say "hi"'], [1.5, undefined], ['a|b', null]] };
  assert.equal(toCsv(table), 'a,b\n"x,y","say ""hi"""\n1.5,\na|b,\n');
  assert.match(toMarkdown(table), /\| a\\\|b \| — \|/);
});

test('the all and report commands reject bad flags by name, before training anything', async () => {
  const dir = tmp('flags');
  const stderr = process.stderr.write;
  const written: string[] = [];
  process.stderr.write = ((chunk: string) => written.push(String(chunk)) > 0) as typeof process.stderr.write;
  try {
    assert.equal(await main(['all', '--b-epochs', '0', '--runs-dir', dir]), 2);
    assert.equal(await main(['all', '--lambda', 'lots', '--runs-dir', dir]), 2);
    assert.equal(await main(['report', '--out', '', '--runs-dir', dir]), 2);
  } finally {
    process.stderr.write = stderr;
  }
  assert.match(written.join(''), /--b-epochs 0 is not allowed/);
  assert.match(written.join(''), /--lambda must be a number/);
  assert.match(written.join(''), /--out "" is not allowed/);
  assert.deepEqual(fs.readdirSync(dir), []);
});

test('ETA clock format', () => {
  assert.equal(clock(0), '0:00');
  assert.equal(clock(61.4), '1:01');
  assert.equal(clock(754), '12:34');
});

/**
 * Runs the command line in-process, returning its exit code and what it printed on stdout. The test
 * runner's own messages (bytes, not text) still go through.
 */
async function cli(args: string[]): Promise<{ code: number; stdout: string }> {
  const [out, err] = [process.stdout.write, process.stderr.write];
  const printed: string[] = [];
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => (typeof chunk === 'string' ? printed.push(chunk) > 0 : out.call(process.stdout, chunk, ...rest))) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    return { code: await main(args), stdout: printed.join('') };
  } finally {
    [process.stdout.write, process.stderr.write] = [out, err];
  }
}

test('the spread over seeds: mean and sample standard deviation', () => {
  assert.deepEqual(spread([1, 2, 3, 6]), { mean: 3, sd: Math.sqrt(14 / 3), min: 1, max: 6 });
  assert.equal(spread([0.5]).sd, 0);
});

test('q2b --seeds runs every part once per seed and its JSON has the judge and a seeds table made of those runs', async () => {
  const dir = tmp('seeds');
  const tinyFlags = ['--latent', '2', '--epochs', '1', '--b-epochs', '1', '--warmup-steps', '0', '--train-images', '256', '--test-images', '100', '--backend', 'wasm', '--runs-dir', dir];
  const { code, stdout } = await cli(['q2b', '--seeds', '4,5', '--json', ...tinyFlags]);
  assert.equal(code, 0);
  const result = JSON.parse(stdout);
  const judges = result.bySeed.map((s: { q2b: { judge: { runId: string }; disNet: { runId: string } } }) => [s.q2b.judge.runId, s.q2b.disNet.runId]);
  for (const [judge, disNet] of judges) assert.ok(judge && judge !== disNet);
  assert.deepEqual(result.q2bSeeds.map((r: { model: string; seeds: number[] }) => `${r.model} ${r.seeds}`), ['(a) 4,5', '(b) frozen 4,5', '(b) alternating 4,5']);
  // The table's figures are those of the two seeds' own runs.
  const judgedOf = (model: string) =>
    runFolders(dir).flatMap((id) => {
      const run = JSON.parse(fs.readFileSync(path.join(dir, id, 'run.json'), 'utf8'));
      const kind = run.job.config?.adversarial ? `(b) ${run.job.config.adversarial.mode}` : '(a)';
      if (run.job.kind !== 'trainAutoencoder' || kind !== model) return [];
      return [JSON.parse(fs.readFileSync(path.join(dir, id, 'judged.json'), 'utf8')).judgeClearScore as number];
    });
  for (const row of result.q2bSeeds) assert.ok(Math.abs(row.judgeClearScore.mean - spread(judgedOf(row.model)).mean) < 1e-12, row.model);
  assert.equal(runFolders(dir).length, 2 * 5, 'per seed: (a), dis_net, the judge, (b) frozen and (b) alternating');
});

test('(b) counts as truly sharper only when the distance and the judge both improve, L1 stays within 15% and it has not collapsed', () => {
  const figures = (testL1: number, sharpness: number, judgeClearScore: number, collapse?: string): Q2bFigures => ({
    runId: 'r', testL1, sharpness, sharpnessDistance: Math.abs(1 - sharpness), disNetClearScore: 0.9, judgeClearScore, kmeans: { purity: 0, nmi: 0, ari: 0, accuracy: 0 }, collapse,
  });
  const a = figures(0.04, 0.9, 0.95);
  const judged = (b: Q2bFigures) => judgeQ2b({ latent: 16, mode: 'alternating', disNetRunId: 'dis', judgeRunId: 'judge', testImages: 100, a, b });
  const verdict = (b: Q2bFigures) => judged(b).observation.split('.')[0];
  assert.equal(verdict(figures(0.045, 0.95, 0.96)), 'L=16, alternating: (b) is truly sharper than (a)');
  assert.equal(verdict(figures(0.047, 0.95, 0.96)), 'L=16, alternating: (b) is not truly sharper than (a)', 'L1 17.5% worse');
  assert.equal(verdict(figures(0.04, 1.15, 0.99)), 'L=16, alternating: (b) is not truly sharper than (a)', 'noise overshoots the originals: farther from 1');
  assert.equal(verdict(figures(0.04, 0.95, 0.94)), 'L=16, alternating: (b) is not truly sharper than (a)', 'the judge finds it less clear');
  assert.match(verdict(figures(0.15, 0.95, 0.99, 'collapsed: …')), /\(b\) has collapsed onto one image/);
  // The stored verdict says the same in its fields.
  assert.equal(judged(figures(0.045, 0.95, 0.96)).trulySharper, true);
  assert.equal(judged(figures(0.15, 0.95, 0.99, 'collapsed')).trulySharper, false);
  assert.equal(judged(figures(0.047, 0.95, 0.96)).l1Kept, false);
});
