import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readPngInfo } from '../harness/png';

interface Summary {
  outDir: string;
  reportFile: string;
  figures: string[];
  tables: string[];
  missing: { part: string; latent?: number; mode?: string; message: string }[];
}

const tiny = { epochs: 1, trainImages: 384, testImages: 128, batchSize: 64, warmupSteps: 0 };
const LATENTS = [2, 16, 256];
const q2b = { latents: LATENTS, autoencoder: tiny, disNet: { epochs: 1, batchSize: 64 } };

function workspace(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the integration tests need a workspace folder');
  return folder.uri.fsPath;
}

/** Every heading the report must have: one section per question and part. */
const SECTIONS = [
  '# Assignment 2 — report',
  '## Q1 — gradient descent against Adam on a bump',
  '### (1) What standard gradient descent does',
  '### (2) The largest bump Adam escapes (ε = 0)',
  '## Q2a — MNIST autoencoders with 2-, 16- and 256-D latents, L1 loss',
  '### Training',
  '### (1) The 2-D latent space, one colour per digit',
  '### (2) K-means on the 16- and 256-D latents',
  '### Reconstructions',
  '## Q2b — sharper reconstructions with dis_net',
  '### dis_net: clear against Gaussian-blurred MNIST',
  '### (b): L1 + λ · dis_net loss',
  '### (a) against (b)',
];

const FIGURES = [
  'q1-landscape.png',
  'q1-trajectories.png',
  'q1-sweep-h.png',
  'q1-sweep-lr.png',
  'q2a-loss.png',
  ...LATENTS.flatMap((l) => [`q2a-latent-${l}-by-digit.png`, `q2a-latent-${l}-by-cluster.png`]),
  'q2a-reconstructions.png',
  'q2b-disnet.png',
  'q2b-blur-samples.png',
  'q2b-loss.png',
  'q2b-comparison.png',
].map((f) => `figures/${f}`);

suite('Export Report', () => {
  test('exports every section, figure and table from tiny runs of each part', async () => {
    await vscode.commands.executeCommand('assignment2.runQ1Study');
    // Q2b in VS Code trains the (a) runs, dis_net and the judge it needs, then (b); the second reuses them.
    await vscode.commands.executeCommand('assignment2.trainSharpened', { ...q2b, sharpen: { lambda: 0.1, mode: 'frozen', epochs: 1 } });
    // No λ: the alternating mode's own recipe.
    await vscode.commands.executeCommand('assignment2.trainSharpened', { ...q2b, sharpen: { mode: 'alternating', epochs: 1 } });
    const outDir = path.join(workspace(), 'assignment2-report');
    const summary = await vscode.commands.executeCommand<Summary>('assignment2.exportReport', { outDir });
    assert.ok(summary, 'the command returned no summary (see the output channel)');
    assert.deepEqual(summary.missing, []);
    assert.equal(summary.reportFile, path.join(outDir, 'report.md'));

    const report = fs.readFileSync(summary.reportFile, 'utf8');
    const headings = report.split('\n').filter((line) => line.startsWith('#'));
    for (const section of SECTIONS) assert.ok(headings.includes(section), `report.md lacks the section "${section}"`);

    // Every figure the report links exists and is a valid PNG; the expected ones are all linked.
    const linked = [...report.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
    for (const figure of FIGURES) assert.ok(linked.includes(figure), `report.md does not show ${figure}`);
    assert.deepEqual([...summary.figures].sort(), [...linked].sort());
    for (const figure of linked) {
      const { width, height } = readPngInfo(path.join(outDir, figure));
      assert.ok(width >= 300 && height >= 100, `${figure} is ${width}×${height}`);
    }

    // results.json holds the numbers the report shows.
    const results = JSON.parse(fs.readFileSync(path.join(outDir, 'results.json'), 'utf8'));
    assert.deepEqual(results.q2a.runs.map((r: { latent: number }) => r.latent), LATENTS);
    assert.deepEqual(results.q2b.comparison.map((c: { latent: number; mode: string }) => `${c.latent} ${c.mode}`), LATENTS.flatMap((l) => [`${l} frozen`, `${l} alternating`]));
    const alternating = results.q2b.comparison.find((c: { mode: string }) => c.mode === 'alternating').recipe;
    assert.deepEqual(alternating, { lambda: 0.005, mode: 'alternating', disNetLearningRate: 0.0003, clearLabel: 0.9 });
    assert.ok(report.includes(`**${(100 * results.q2b.disNet.testAccuracy).toFixed(3)}%**`), "the report shows dis_net's accuracy from results.json");
    // Train Blur Discriminator also trained the judge, which scored every (a) and (b) it never saw in training.
    assert.ok(report.includes(`**${(100 * results.q2b.judge.testAccuracy).toFixed(3)}%**`), "the report shows the judge's accuracy from results.json");
    for (const { a, b } of results.q2b.comparison) for (const x of [a, b]) assert.ok(x.judgeClearScore >= 0 && x.judgeClearScore <= 1, JSON.stringify(x));
    for (const run of results.q2a.runs) assert.ok(report.includes(`| ${run.latent} | \`${run.runId}\` |`), `the training table lists ${run.runId}`);
    assert.match(results.q1.answers.part2, /h\* = 0\.4101/);

    // The CSV files: a header and one row per epoch, per sweep point, per table row.
    for (const table of ['q1-trajectories.csv', 'q1-sweep-h.csv', 'q1-sweep-lr.csv', 'q2a-curves.csv', 'q2a-kmeans.csv', 'q2b-curves.csv', 'q2b-comparison.csv', 'q2b-disnet-curve.csv']) {
      assert.ok(summary.tables.includes(table), `${table} was not written`);
    }
    const curves = fs.readFileSync(path.join(outDir, 'q2a-curves.csv'), 'utf8').trim().split('\n');
    assert.equal(curves[0], 'latent,run_id,epoch,train_l1,test_l1,seconds');
    assert.equal(curves.length, 1 + LATENTS.length * tiny.epochs);
    assert.equal(fs.readFileSync(path.join(outDir, 'q2b-comparison.csv'), 'utf8').trim().split('\n').length, 1 + 3 * LATENTS.length, 'per size: (a), (b) frozen, (b) alternating');
  });

  test('an export from an empty runs folder names every missing part', async () => {
    const config = vscode.workspace.getConfiguration('assignment2');
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'assignment2-empty-runs-'));
    const outDir = path.join(workspace(), 'assignment2-report-empty');
    await config.update('runsDirectory', empty, vscode.ConfigurationTarget.Workspace);
    try {
      const summary = await vscode.commands.executeCommand<Summary>('assignment2.exportReport', { outDir });
      assert.ok(summary);
      assert.deepEqual(summary.missing.map((m) => `${m.part}${m.latent ?? ''}${m.mode ? ` ${m.mode}` : ''}`), [
        'q1', 'q2a2', 'q2a16', 'q2a256', 'disNet', 'judge', 'q2b2 frozen', 'q2b2 alternating', 'q2b16 frozen', 'q2b16 alternating', 'q2b256 frozen', 'q2b256 alternating',
      ]);
      const report = fs.readFileSync(summary.reportFile, 'utf8');
      assert.match(report, /Missing parts/);
      assert.ok(!report.includes('## Q2a'), 'no Q2a section without Q2a runs');
      assert.deepEqual(summary.figures, []);
    } finally {
      await config.update('runsDirectory', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
