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
    const tested = frame.locator('.explorer-test');
    const shown = (box: typeof decoded) => box.evaluate((b) => `${b.textContent}|${[...b.querySelectorAll('canvas')].map((c) => c.toDataURL()).join()}`);
    const box = (await plane.boundingBox())!;
    // Places inside the plotted area (below the legend's two rows, above the x-axis: a click outside it is not the chart's). A click that lands on a point shows
    // that test image and its reconstruction instead of decoding the plane; then the next place is tried.
    const places = [[0.25, 0.45], [0.9, 0.78], [0.8, 0.42], [0.55, 0.62], [0.2, 0.75], [0.65, 0.8], [0.45, 0.5], [0.3, 0.6], [0.7, 0.35]];
    const decodings: { label: string; pixels: string }[] = [];
    for (const [fx, fy] of places) {
      if (decodings.length === 2) break;
      const [decodedBefore, testedBefore] = [await shown(decoded), await shown(tested)];
      await plane.click({ position: { x: box.width * fx, y: box.height * fy } });
      const outcome = await poll(`an answer to the click at (${fx}, ${fy}) of the plane`, 30_000, async () => {
        if ((await shown(decoded)) !== decodedBefore) return 'decoded';
        return (await shown(tested)) !== testedBefore ? 'point' : undefined;
      });
      if (outcome === 'point') {
        const images = await tested.locator('canvas').count();
        if (images !== 2) throw new Error(`a click on a point shows ${images} images, not its test image and its reconstruction`);
        step(`the click at (${fx}, ${fy}) hit a point: ${(await tested.textContent())?.trim()}`);
        continue;
      }
      decodings.push({ label: (await decoded.textContent()) ?? '', pixels: await shown(decoded) });
    }
    if (decodings.length < 2) throw new Error(`only ${decodings.length} of ${places.length} clicks on the plane decoded it`);
    const [first, second] = decodings;
    if (first.pixels.split('|')[1] === second.pixels.split('|')[1]) throw new Error('two points of the plane decoded to the same pixels');
    if (first.label === second.label) throw new Error(`the decoded point's coordinates did not change: ${first.label}`);
    await page.screenshot({ path: path.join(resultsDir, 'latent-explorer.png'), fullPage: true });
    step(`two clicks decode two different digits (${first.label} / ${second.label})`);

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
