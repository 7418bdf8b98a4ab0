/**
 * Curves that hold every step: a real run of 16 steps (the seeded ones train a single step each) is
 * trained by the CLI into the runs folder; on the Q2a tab, moving the smoothing slider changes the
 * smoothed series the chart holds and the pixels it draws, and the x-axis switch turns the axis from
 * steps to wall time; Save as CSV and as PNG write what the chart draws where VS Code's save dialog
 * says. The run and the chart's choices are put back as they were.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LabCheck } from './context';
import { poll } from '../harness/page';
import { findRepoRoot } from '../harness/repo';

export const curvesCheck: LabCheck = {
  name: 'curves',
  async run({ page, frame, workspace, runsDir, resultsDir, step }) {
    const rows = frame.locator('table.q2a-runs tbody tr');
    const rowsBefore = await rows.count();
    const cli = path.join(findRepoRoot(), 'bin', 'assignment2.js');
    const trained = JSON.parse(execFileSync(process.execPath, [cli, 'train', '--latent', '2', '--epochs', '2', '--batch-size', '32', '--train-images', '256', '--test-images', '128', '--seed', '9', '--runs-dir', runsDir, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as { runId: string; runDir: string };
    step(`trained ${trained.runId}: 2 epochs of 8 steps`);
    try {
      await frame.locator('vscode-tab-header[data-tab="q2a"]').click();
      const figure = frame.locator('figure[data-chart="q2a-loss"]');
      const state = () => figure.evaluate((f) => ({ digest: f.dataset.drawn ?? '', xTitle: f.dataset.xTitle ?? '', points: Number(f.dataset.points), pixels: f.querySelector('canvas')!.toDataURL() }));
      // The newest L=2 run is charted once its step log has come with its details.
      await poll('the 16 logged steps in the Q2a loss chart', 60_000, async () => ((await state()).points >= 16 ? true : undefined));
      await figure.scrollIntoViewIfNeeded();
      const slider = figure.locator('input.step-slider');
      const axis = figure.locator('vscode-single-select.curve-axis');
      const before = { smoothing: await slider.inputValue(), axis: await axis.evaluate((s) => (s as HTMLElement & { value: string }).value) };

      await slider.fill('0');
      const raw = await state();
      await slider.fill('0.9');
      const smoothed = await state();
      if (smoothed.digest === raw.digest) throw new Error('moving the smoothing slider left the drawn series as they were');
      if (smoothed.pixels === raw.pixels) throw new Error('moving the smoothing slider left the chart drawn as it was');
      await page.screenshot({ path: path.join(resultsDir, 'curves-smoothed.png'), fullPage: true });
      step(`smoothing 0 → 0.9 redraws the series (${raw.digest} → ${smoothed.digest})`);

      // Save as CSV and as PNG, through VS Code's save dialog, into the workspace it offers.
      for (const kind of ['csv', 'png'] as const) {
        const file = path.join(workspace, `q2a-loss.${kind}`);
        const dialog = page.locator('.quick-input-widget');
        // The previous dialog must be gone first: typing into it as it closes would save nothing.
        await dialog.waitFor({ state: 'hidden', timeout: 30_000 });
        await figure.locator('vscode-button', { hasText: `Save as ${kind.toUpperCase()}` }).click();
        // VS Code's save dialog, offering the chart's name with this kind's extension.
        await poll(`the save dialog for the ${kind.toUpperCase()}`, 30_000, async () => ((await dialog.locator('input').inputValue({ timeout: 1000 })).endsWith(`q2a-loss.${kind}`) ? true : undefined));
        await dialog.locator('input').fill(file);
        await page.keyboard.press('Enter');
        await poll(`${file} written`, 30_000, async () => (fs.existsSync(file) && fs.statSync(file).size > 0 ? true : undefined));
      }
      const csv = fs.readFileSync(path.join(workspace, 'q2a-loss.csv'), 'utf8').trim().split('\n');
      if (csv[0] !== 'series,step,L1,L1 (smoothed)' || csv.length - 1 !== smoothed.points) throw new Error(`the saved CSV has ${csv.length - 1} rows under "${csv[0]}"; the chart draws ${smoothed.points} points`);
      const png = fs.readFileSync(path.join(workspace, 'q2a-loss.png'));
      if (png.readUInt32BE(0) !== 0x89504e47 || png.readUInt32BE(16) < 200) throw new Error('the saved chart is not a PNG of the chart');
      step(`saved as CSV (${csv.length - 1} points, raw and smoothed) and as a ${png.readUInt32BE(16)}×${png.readUInt32BE(20)} PNG`);

      if (smoothed.xTitle !== 'step') throw new Error(`the x-axis starts as "${smoothed.xTitle}", not step`);
      await axis.click();
      await axis.locator('li.option', { hasText: 'Wall time' }).click();
      const wall = await poll('the wall-time axis', 10_000, async () => {
        const now = await state();
        return now.xTitle.startsWith('wall time') ? now : undefined;
      });
      if (wall.pixels === smoothed.pixels) throw new Error('the wall-time axis drew the same chart as the step axis');
      await page.screenshot({ path: path.join(resultsDir, 'curves-walltime.png'), fullPage: true });
      step(`x-axis switched: "${smoothed.xTitle}" → "${wall.xTitle}"`);

      await slider.fill(before.smoothing);
      await axis.evaluate((s, value) => {
        (s as HTMLElement & { value: string }).value = value;
        s.dispatchEvent(new Event('change'));
      }, before.axis);
    } finally {
      fs.rmSync(trained.runDir, { recursive: true, force: true });
    }
    await poll('the extra run gone from the Q2a table', 30_000, async () => ((await rows.count()) === rowsBefore ? true : undefined));
    await frame.locator('vscode-tab-header[data-tab="compare"]').click();
  },
};
