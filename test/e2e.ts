// End-to-end: the extension loaded into a real VS Code (code-server) in headless Chromium, driven the
// way a user would: Command Palette → "Assignment2: Open Workbench" → the webview shows its tabs.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Browser, Frame, Page } from 'playwright-core';
import { launchChromium, onExit, startCodeServer, workbenchUrl, type CodeServer } from './harness/codeServer';
import { findRepoRoot, requireFile } from './harness/repo';

const COMMAND = 'Assignment2: Open Workbench';
const TAB_LABELS = ['Q1', 'Q2a', 'Q2b', 'Compare'];

const root = findRepoRoot();
const resultsDir = path.join(root, 'test-results');
const started = Date.now();
const step = (msg: string) => console.log(`[e2e +${((Date.now() - started) / 1000).toFixed(1)} s] ${msg}`);

async function poll<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The document inside each webview: iframe.webview hosts VS Code's shell, #active-frame the extension's HTML. */
async function webviewFrames(page: Page): Promise<Frame[]> {
  const frames: Frame[] = [];
  for (const outer of await page.$$('iframe.webview')) {
    const shell = await outer.contentFrame();
    const inner = await (await shell?.$('#active-frame'))?.contentFrame();
    if (inner) frames.push(inner);
  }
  return frames;
}

/** Visible text including open shadow roots, where web-component tab labels may live. */
function deepText(frame: Frame): Promise<string> {
  return frame.evaluate(() => {
    const parts: string[] = [];
    const walk = (node: Node) => {
      if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent ?? '');
      if (node instanceof Element) {
        if (['SCRIPT', 'STYLE', 'TEMPLATE'].includes(node.tagName)) return;
        if (node.shadowRoot) walk(node.shadowRoot);
      }
      node.childNodes.forEach(walk);
    };
    walk(document.body);
    return parts.join(' ').replace(/\s+/g, ' ').trim();
  });
}

test('Command Palette "Assignment2: Open Workbench" shows the Q1, Q2a, Q2b and Compare tabs', { timeout: 10 * 60_000 }, async () => {
  requireFile(path.join(root, 'dist', 'extension.js'), 'Run `node esbuild.mjs` (or `npm run build`) first.');
  fs.mkdirSync(resultsDir, { recursive: true });
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'a2-e2e-workspace-'));
  const removeExitHook = onExit(() => fs.rmSync(workspace, { recursive: true, force: true }));
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  const pageErrors: string[] = [];
  try {
    server = await startCodeServer({ smokeTestDriver: true });
    step(`code-server up at ${server.url}`);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    // First lines only: the workbench logs long stacks for expected offline failures.
    page.on('pageerror', (err) => pageErrors.push(err.message.split('\n')[0]));
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(msg.text().split('\n')[0]);
    });

    await page.goto(workbenchUrl(server, workspace, { extensionDevelopmentPath: root }));
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 180_000 });
    // The status bar fills in once the remote connection and extension host are up.
    await page.locator('#workbench\\.parts\\.statusbar').waitFor({ state: 'visible', timeout: 180_000 });
    step('workbench loaded');

    // Keybindings and the development extension's contributions arrive a little after the workbench
    // appears, and an open palette keeps the command list it started with: reopen until it lists ours.
    const palette = page.locator('.quick-input-widget');
    const ours = palette.locator('.monaco-list-row.focused', { hasText: COMMAND });
    await poll(`"${COMMAND}" in the Command Palette`, 180_000, async () => {
      if (await palette.isVisible()) await page!.keyboard.press('Escape');
      await page!.keyboard.press('F1');
      await palette.locator('input').fill(`>${COMMAND}`, { timeout: 5000 });
      // Enter runs the focused row, so ours has to be the focused one.
      return (await ours.waitFor({ state: 'visible', timeout: 5000 }).then(() => true)) || undefined;
    });
    step(`palette shows "${COMMAND}"`);
    await page.keyboard.press('Enter');

    const text = await poll(`a webview whose text contains ${TAB_LABELS.join(', ')}`, 180_000, async () => {
      for (const frame of await webviewFrames(page!)) {
        const t = await deepText(frame);
        if (TAB_LABELS.every((label) => new RegExp(`\\b${label}\\b`).test(t))) return t;
      }
      return undefined;
    });
    step('webview rendered');
    console.log(`--- webview text ---\n${text.slice(0, 2000)}\n---`);

    const shot = path.join(resultsDir, 'workbench.png');
    await page.screenshot({ path: shot, fullPage: true });
    step(`screenshot saved: ${shot}`);
  } catch (err) {
    const shot = path.join(resultsDir, 'e2e-failure.png');
    const saved = page ? await page.screenshot({ path: shot, fullPage: true }).then(() => true, () => false) : false;
    const frames = page ? await webviewFrames(page).catch(() => []) : [];
    const texts = await Promise.all(frames.map((f) => deepText(f).catch((e) => `<unreadable: ${e}>`)));
    throw new Error(
      [
        `E2E FAILED: ${err instanceof Error ? err.message : String(err)}`,
        `Screenshot: ${saved ? shot : '(none: no page)'}`,
        `Webviews found: ${frames.length}${texts.map((t, i) => `\n  [${i}] ${t.slice(0, 500)}`).join('')}`,
        `Page errors (last 20):\n  ${pageErrors.slice(-20).join('\n  ') || '(none)'}`,
        `code-server output (tail):\n${server?.output().slice(-5000) ?? '(not started)'}`,
      ].join('\n'),
    );
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    fs.rmSync(workspace, { recursive: true, force: true });
    removeExitHook();
  }
});
