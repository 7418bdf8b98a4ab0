/**
 * The latent explorer on the seeded L=2 run: on the Q2a tab its digit scatter lies over the decoded
 * manifold; a click on two places of the latent plane decodes two different digits (the pixels of
 * the enlarged digit change with the point); two test image numbers give an interpolation of 10
 * decoded digits. Leaves the page on the Compare tab.
 */
import * as path from 'node:path';
import type { LabCheck } from './context';
import { poll } from '../harness/page';

export const latentExplorerCheck: LabCheck = {
  name: 'latentExplorer',
  async run({ page, frame, resultsDir, step }) {
    await frame.locator('vscode-tab-header[data-tab="q2a"]').click();
    const plane = frame.locator('canvas[data-manifold="drawn"]').first();
    await poll("the L=2 run's decoded manifold under its scatter", 90_000, async () => ((await plane.count()) ? true : undefined));
    await plane.scrollIntoViewIfNeeded();
    step('the manifold is drawn under the L=2 scatter');

    const decoded = frame.locator('.explorer-point');
    const pixels = () => decoded.evaluate((box) => box.querySelector('canvas')?.toDataURL() ?? '');
    const box = (await plane.boundingBox())!;
    // Two places inside the plotted area: below the legend's two rows, inside the axes.
    const clickAt = async (fx: number, fy: number, previous: string) => {
      await plane.click({ position: { x: box.width * fx, y: box.height * fy } });
      return poll(`the digit decoded at (${fx}, ${fy}) of the plane`, 30_000, async () => {
        const now = await pixels();
        return now && now !== previous ? now : undefined;
      });
    };
    const first = await clickAt(0.25, 0.45, '');
    const firstLabel = await decoded.textContent();
    const second = await clickAt(0.9, 0.78, first);
    const secondLabel = await decoded.textContent();
    if (first === second) throw new Error('two points of the plane decoded to the same pixels');
    if (firstLabel === secondLabel) throw new Error(`the decoded point's coordinates did not change: ${firstLabel}`);
    await page.screenshot({ path: path.join(resultsDir, 'latent-explorer.png'), fullPage: true });
    step(`two clicks decode two different digits (${firstLabel} / ${secondLabel})`);

    const fields = frame.locator('.explorer-picks vscode-textfield');
    await fields.nth(0).locator('input').fill('0');
    await fields.nth(1).locator('input').fill('1');
    await frame.locator('.explorer-picks vscode-button', { hasText: 'Interpolate' }).click();
    const steps = frame.locator('.explorer-interpolation canvas');
    const count = await poll('the interpolation between test images #0 and #1', 30_000, async () => ((await steps.count()) === 10 ? 10 : undefined));
    await steps.first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(resultsDir, 'latent-interpolation.png'), fullPage: true });
    step(`an interpolation of ${count} decoded digits between test images #0 and #1`);

    await frame.locator('vscode-tab-header[data-tab="compare"]').click();
  },
};
