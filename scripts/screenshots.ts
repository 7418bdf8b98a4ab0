/**
 * The README's pictures, from real runs: `npm run screenshots -- <folder>` opens <folder> (one where
 * `npx assignment2 all` has run: .assignment2/runs and assignment2-report/) in a real VS Code
 * (code-server) in headless Chromium, and saves each workbench tab and the report page to docs/images/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { launchChromium, startCodeServer, workbenchUrl } from '../test/harness/codeServer';
import { poll, runFromPalette, webviewFrames } from '../test/harness/page';
import { findRepoRoot, requireFile } from '../test/harness/repo';

const root = findRepoRoot();
const imagesDir = path.join(root, 'docs', 'images');

async function workbenchFrame(page: Page): Promise<Frame> {
  return poll('the workbench page', 180_000, async () => {
    for (const frame of await webviewFrames(page)) if (await frame.locator('vscode-tabs').count()) return frame;
    return undefined;
  });
}

/** A tab, scrolled to `selector`, once `ready` shows; saved as docs/images/<name>.png. */
async function shoot(page: Page, frame: Frame, tab: string, name: string, ready: string): Promise<void> {
  await frame.locator(`vscode-tab-header[data-tab="${tab}"]`).click();
  await frame.locator(ready).first().waitFor({ state: 'visible', timeout: 120_000 });
  await frame.locator(ready).first().scrollIntoViewIfNeeded();
  // Charts and decoded digits arrive in messages after the element they fill.
  await page.waitForTimeout(3000);
  await page.screenshot({ path: path.join(imagesDir, `${name}.png`) });
  console.log(`saved docs/images/${name}.png`);
}

/** The latent explorer at work: a point of the 2-D plane decoded, and test digits #0 and #1 interpolated. */
async function explorer(page: Page, frame: Frame): Promise<void> {
  const plane = frame.locator('canvas[data-manifold="drawn"]').first();
  await plane.waitFor({ state: 'attached', timeout: 120_000 });
  await plane.scrollIntoViewIfNeeded();
  const box = (await plane.boundingBox())!;
  await plane.click({ position: { x: box.width * 0.62, y: box.height * 0.5 } });
  await frame.locator('.explorer-point canvas').waitFor({ timeout: 30_000 });
  const fields = frame.locator('.explorer-picks vscode-textfield');
  await fields.nth(0).locator('input').fill('0');
  await fields.nth(1).locator('input').fill('1');
  await frame.locator('.explorer-picks vscode-button', { hasText: 'Interpolate' }).click();
  await frame.locator('.explorer-interpolation canvas').nth(9).waitFor({ timeout: 30_000 });
  await frame.locator('.latent-explorer').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(imagesDir, 'workbench-explorer.png') });
  console.log('saved docs/images/workbench-explorer.png');
}

async function main(): Promise<void> {
  const folder = path.resolve(process.argv[2] ?? '');
  requireFile(path.join(folder, 'assignment2-report', 'report.html'), 'Pass a folder where `npx assignment2 all` has run.');
  requireFile(path.join(root, 'dist', 'extension.js'), 'Run `node esbuild.mjs` first.');
  fs.mkdirSync(imagesDir, { recursive: true });
  const server = await startCodeServer({ smokeTestDriver: true });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(workbenchUrl(server, folder, { extensionDevelopmentPath: root }));
    await page.locator('#workbench\\.parts\\.statusbar').waitFor({ state: 'visible', timeout: 180_000 });
    await runFromPalette(page, 'Assignment2: Open Workbench');
    const frame = await workbenchFrame(page);
    await shoot(page, frame, 'q1', 'workbench', '.q1 canvas');
    await shoot(page, frame, 'q2a', 'workbench-q2a', '.q2a canvas');
    await shoot(page, frame, 'q2a', 'workbench-latents', '.q2a .chart-grid canvas');
    await explorer(page, frame);
    await shoot(page, frame, 'q2b', 'workbench-q2b', '.q2b table');
    await shoot(page, frame, 'compare', 'workbench-compare', '.compare table');
    const report = await browser.newPage({ viewport: { width: 1000, height: 1300 } });
    await report.goto(`file://${path.join(folder, 'assignment2-report', 'report.html')}`);
    await report.screenshot({ path: path.join(imagesDir, 'report-html.png') });
    console.log('saved docs/images/report-html.png');
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
