/**
 * A run that is training: the Runs view offers Cancel inline on it and no Delete in its menu; once
 * cancelled it can be deleted. The run is started from the palette, as a student would.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { openRunsView, poll } from '../harness/page';
import type { LabCheck } from './context';

/** The labels of a tree row's context menu, which is closed again. */
async function menuOf(page: Page, row: Locator): Promise<string[]> {
  await row.click({ button: 'right' });
  const menu = page.locator('.context-view .monaco-menu');
  await menu.waitFor({ state: 'visible', timeout: 10_000 });
  const labels = (await menu.locator('.action-label').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
  await page.keyboard.press('Escape');
  return labels;
}

export const runningRunCheck: LabCheck = {
  name: 'runningRun',
  async run({ page, runsDir, resultsDir, step, runFromPalette }) {
    const before = new Set(fs.readdirSync(runsDir));
    // The questions: latent sizes (all ticked; keep only 2-D), then epochs, enough to still be running below.
    const quickInput = page.locator('.quick-input-widget');
    // A quick pick closes when it loses focus, and the webview the checks before this one clicked in may
    // still take it back: focus the side bar first, and if a question goes away unanswered, start again.
    await page.locator('.sidebar .composite.title').click();
    await poll('the training questions answered', 120_000, async () => {
      try {
        await runFromPalette('Assignment2: Train Autoencoder');
        // A click on a row of a many-pick list toggles it; the row says so in aria-checked.
        for (const size of ['16-D latent', '256-D latent']) {
          const row = quickInput.locator(`.monaco-list-row[aria-label="${size}"]`);
          await row.click({ timeout: 5_000 });
          await poll(`${size} unticked`, 5_000, async () => ((await row.getAttribute('aria-checked')) === 'false' ? true : undefined));
        }
        await page.keyboard.press('Enter');
        await quickInput.locator('input').fill('50', { timeout: 5_000 });
        await page.keyboard.press('Enter');
        return true;
      } catch (err) {
        step(`the questions went away (${(err as Error).message.split('\n')[0]}); asking again`);
        await page.keyboard.press('Escape');
        return undefined;
      }
    });
    const runId = await poll('the new run folder', 60_000, async () => fs.readdirSync(runsDir).find((id) => !before.has(id) && fs.existsSync(path.join(runsDir, id, 'run.json'))));
    step(`training ${runId} from the palette`);

    const runsView = await openRunsView(page);
    const row = runsView.locator('.monaco-list-row', { hasText: 'Autoencoder L=2' }).filter({ hasText: /0\/50 ep|\d+\/50 ep/ }).first();
    await row.waitFor({ state: 'visible', timeout: 60_000 });
    const running = await menuOf(page, row);
    if (running.includes('Delete Run')) throw new Error(`a running run's menu offers Delete: ${running.join(', ')}`);
    if (!running.includes('Open Run')) throw new Error(`the running run's menu lacks Open Run: ${running.join(', ')}`);
    await row.hover();
    const cancel = row.locator('.actions .action-label[aria-label^="Cancel Running Job"]');
    await cancel.waitFor({ state: 'visible', timeout: 10_000 });
    await page.screenshot({ path: path.join(resultsDir, 'runs-view-running.png'), fullPage: true });
    step(`a running run: menu ${running.join(', ')}, Cancel inline`);

    await cancel.click();
    await poll('the run cancelled on disk', 60_000, async () => (JSON.parse(fs.readFileSync(path.join(runsDir, runId, 'run.json'), 'utf8')).status === 'cancelled' ? true : undefined));
    const cancelled = await poll('Delete offered once it is cancelled', 30_000, async () => {
      const labels = await menuOf(page, row);
      return labels.includes('Delete Run') ? labels : undefined;
    });
    step(`cancelled: menu ${cancelled.join(', ')}`);
    // The checks after this one expect the seeded runs alone.
    fs.rmSync(path.join(runsDir, runId), { recursive: true, force: true });
    await row.waitFor({ state: 'detached', timeout: 30_000 });
    // The side bar back on the Explorer, as the test after this one expects.
    await page.locator('.activitybar .action-item a[aria-label^="Explorer"]').click();
    await runsView.waitFor({ state: 'hidden', timeout: 10_000 });
  },
};
