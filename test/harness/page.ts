/** Driving the real VS Code page: waiting, reading the webviews' documents, and the Command Palette. */
import type { Frame, Locator, Page } from 'playwright-core';

export async function poll<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The document inside each webview: iframe.webview hosts VS Code's shell, #active-frame the extension's HTML. */
export async function webviewFrames(page: Page): Promise<Frame[]> {
  const frames: Frame[] = [];
  for (const outer of await page.$$('iframe.webview')) {
    const shell = await outer.contentFrame();
    const inner = await (await shell?.$('#active-frame'))?.contentFrame();
    if (inner) frames.push(inner);
  }
  return frames;
}

/** Visible text including open shadow roots, where web-component tab labels may live. */
export function deepText(frame: Frame): Promise<string> {
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

/**
 * Runs a command from the Command Palette. Keybindings and the development extension's contributions
 * arrive a little after the workbench appears, and an open palette keeps the command list it started
 * with: reopen until it lists ours, focused, then press Enter.
 */
export async function runFromPalette(page: Page, title: string, step: (msg: string) => void = () => undefined): Promise<void> {
  const palette = page.locator('.quick-input-widget');
  const ours = palette.locator('.monaco-list-row.focused', { hasText: title });
  await poll(`"${title}" in the Command Palette`, 180_000, async () => {
    if (await palette.isVisible()) await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await palette.locator('input').fill(`>${title}`, { timeout: 5000 });
    return (await ours.waitFor({ state: 'visible', timeout: 5000 }).then(() => true)) || undefined;
  });
  step(`palette runs "${title}"`);
  await page.keyboard.press('Enter');
}

/** Opens the Assignment 2 container in the activity bar and returns its Runs view. */
export async function openRunsView(page: Page): Promise<Locator> {
  await page.locator('.activitybar .action-item a[aria-label^="Assignment 2"]').click();
  return page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Runs' }) });
}
