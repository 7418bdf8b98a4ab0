/**
 * A theme switch recolours the charts at once, without a reload: the pixels of the Q1 landscape chart
 * drawn in the old theme's text colour give way to the new one's.
 */
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { poll } from '../harness/page';
import type { LabCheck } from './context';

interface Drawn {
  theme: string;
  foreground: string;
  /** Opaque pixels of the chart within a few levels of each colour, by colour. */
  counts: Record<string, number>;
}

/** The landscape chart's pixels counted against the given colours (and the current text colour). */
function readChart(frame: Frame, colours: string[]): Promise<Drawn> {
  return frame.evaluate((colours) => {
    const rgb = (css: string) => {
      const probe = document.createElement('span');
      probe.style.color = css;
      document.body.append(probe);
      const parsed = getComputedStyle(probe).color.match(/\d+/g)!.slice(0, 3).map(Number);
      probe.remove();
      return parsed;
    };
    const foreground = getComputedStyle(document.body).getPropertyValue('--vscode-foreground').trim();
    const canvas = document.querySelector('.q1 canvas') as HTMLCanvasElement;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    const counts: Record<string, number> = {};
    for (const colour of [...colours, foreground]) {
      const [r, g, b] = rgb(colour);
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 200 && Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) <= 12) n++;
      counts[colour] = n;
    }
    return { theme: document.body.dataset.chartTheme ?? '', foreground, counts };
  }, colours);
}

export const themeCheck: LabCheck = {
  name: 'theme',
  async run({ frame, resultsDir, step, runFromPalette, page }) {
    await frame.locator('vscode-tab-header[data-tab="q1"]').click();
    await frame.locator('.q1 canvas').first().scrollIntoViewIfNeeded();
    const before = await readChart(frame, []);
    if (!before.counts[before.foreground]) throw new Error(`the chart has no pixel in the theme's text colour ${before.foreground}`);
    await runFromPalette('Preferences: Toggle between Light/Dark Themes');
    const after = await poll('the chart redrawn in the new theme', 30_000, async () => {
      const now = await readChart(frame, [before.foreground]);
      return now.theme !== before.theme && now.foreground !== before.foreground ? now : undefined;
    });
    await page.screenshot({ path: path.join(resultsDir, 'theme-switched.png'), fullPage: true });
    step(`theme ${before.theme} → ${after.theme}: text pixels ${before.foreground} ${before.counts[before.foreground]} → ${after.counts[before.foreground]}, ${after.foreground} → ${after.counts[after.foreground]}`);
    if (after.counts[before.foreground] > before.counts[before.foreground] / 20) throw new Error(`the chart keeps the old theme's text colour: ${JSON.stringify(after.counts)}`);
    if (!after.counts[after.foreground]) throw new Error(`the chart has no pixel in the new theme's text colour ${after.foreground}`);
    await runFromPalette('Preferences: Toggle between Light/Dark Themes');
    await poll('the first theme back', 30_000, async () => ((await readChart(frame, [])).theme === before.theme ? true : undefined));
    await frame.locator('vscode-tab-header[data-tab="compare"]').click();
  },
};
