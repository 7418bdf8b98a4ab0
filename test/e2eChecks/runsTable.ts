/**
 * The runs table as a tracker, on the Q2b tab's sharpened runs (two seeds × frozen / alternating):
 * a header click sorts the rows by Test L1 and a second click reverses them; a filter leaves the
 * matching rows and says how many; a pinned baseline goes on top and the others' figures show their
 * difference from it. Then Compare shows the configuration difference of (a) and (b) first, the
 * adversarial settings marked as differing. The table is put back as it was; the page is left on Compare.
 */
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import type { LabCheck } from './context';
import { poll } from '../harness/page';

const TABLE = 'table.sharpened-runs';

/** Each row's run id, and the text of one column and its difference from a baseline ('' for none). */
function column(frame: Frame, id: string): Promise<{ runIds: string[]; texts: string[]; differences: string[]; sort: string | null }> {
  return frame.locator(TABLE).evaluate((table, id) => {
    const headers = [...table.querySelectorAll('thead th')] as HTMLElement[];
    const index = headers.findIndex((th) => th.dataset.column === id);
    if (index < 0) throw new Error(`the sharpened table shows no column ${id}`);
    const rows = [...table.querySelectorAll('tbody tr')] as HTMLElement[];
    const cells = rows.map((r) => r.children[index]);
    return {
      runIds: rows.map((r) => r.dataset.runId ?? ''),
      texts: cells.map((c) => c?.firstChild?.textContent ?? ''),
      differences: cells.map((c) => c?.querySelector('.difference')?.textContent?.trim() ?? ''),
      sort: headers[index].getAttribute('aria-sort'),
    };
  }, id);
}

const inOrder = (values: number[], sign: 1 | -1) => values.every((v, i) => i === 0 || sign * (v - values[i - 1]) >= 0);

export const runsTableCheck: LabCheck = {
  name: 'runsTable',
  async run({ page, frame, resultsDir, step }) {
    await frame.locator('vscode-tab-header[data-tab="q2b"]').click();
    await poll('the four sharpened runs in their table', 30_000, async () => ((await frame.locator(`${TABLE} tbody tr`).count()) === 4 ? true : undefined));
    const unsorted = await column(frame, 'testL1');
    const header = frame.locator(`${TABLE} th[data-column="testL1"]`);

    await header.click();
    const ascending = await column(frame, 'testL1');
    const up = ascending.texts.map(Number);
    if (ascending.sort !== 'ascending' || !inOrder(up, 1) || up.some(Number.isNaN)) throw new Error(`one click on Test L1 left the rows at ${ascending.texts.join(', ')} (aria-sort ${ascending.sort})`);
    await header.click();
    const descending = await column(frame, 'testL1');
    if (descending.sort !== 'descending' || !inOrder(descending.texts.map(Number), -1)) throw new Error(`a second click on Test L1 left the rows at ${descending.texts.join(', ')}`);
    if (new Set(up).size === up.length && descending.runIds.join() !== [...ascending.runIds].reverse().join()) throw new Error('the second click did not reverse the rows');
    step(`Test L1 sorts up (${ascending.texts.join(' ≤ ')}) and, clicked again, down`);

    const tracker = frame.locator('.runs-table', { has: frame.locator(TABLE) });
    const filter = tracker.locator('vscode-textfield');
    const type = (text: string) =>
      filter.evaluate((field: HTMLElement & { value: string }, text) => {
        field.value = text;
        field.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      }, text);
    await type('alternating');
    const modes = await column(frame, 'config.adversarial.mode');
    const count = await tracker.locator('.runs-count').innerText();
    if (modes.texts.length !== 2 || modes.texts.some((m) => m !== 'alternating')) throw new Error(`the filter "alternating" leaves the rows ${modes.texts.join(', ')}`);
    if (count !== '2 of 4 runs') throw new Error(`the filtered table says "${count}"`);
    await type('');
    if ((await frame.locator(`${TABLE} tbody tr`).count()) !== 4) throw new Error('clearing the filter does not bring the four runs back');
    step(`the filter "alternating" leaves ${count}`);

    // Pin the last row: it goes on top, and every other row's Test L1 shows its difference from it.
    const pinned = descending.runIds.at(-1)!;
    await frame.locator(`${TABLE} tbody tr[data-run-id="${pinned}"] vscode-button`).click();
    const withBaseline = await column(frame, 'testL1');
    if (withBaseline.runIds[0] !== pinned || !(await frame.locator(`${TABLE} tbody tr.baseline[data-run-id="${pinned}"]`).count())) throw new Error('the pinned run is not marked and on top');
    const [baselineDifference, ...differences] = withBaseline.differences;
    if (baselineDifference || !differences.every((d) => /^\(([+−]\d\.\d{4}|±0)\)$/.test(d))) throw new Error(`the Test L1 differences from the baseline read: ${withBaseline.differences.join(', ')}`);
    await frame.locator(TABLE).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(resultsDir, 'runs-table-sorted.png'), fullPage: true });
    step(`baseline pinned at Test L1 ${withBaseline.texts[0]}: the others read ${differences.join(', ')}`);

    // Put the table back: unpinned, and a third click for the runs' own order.
    await frame.locator(`${TABLE} tbody tr[data-run-id="${pinned}"] vscode-button`).click();
    await header.click();
    const restored = await column(frame, 'testL1');
    if (restored.sort !== null || restored.runIds.join() !== unsorted.runIds.join()) throw new Error('a third click did not restore the runs\' own order');

    await frame.locator('vscode-tab-header[data-tab="compare"]').click();
    const diff = frame.locator('.compare table.config-diff');
    await diff.waitFor({ state: 'visible', timeout: 30_000 });
    const firstTable = await frame.locator('.compare table').first().getAttribute('class');
    if (!firstTable?.includes('config-diff')) throw new Error(`the Compare tab's first table is "${firstTable}", not the configuration difference`);
    if (await frame.locator('.compare select').count()) throw new Error('the Compare tab still has native <select> pickers');
    if ((await frame.locator('.compare vscode-single-select.run-picker').count()) !== 2) throw new Error('the Compare tab lacks its two run pickers');
    const differing = await diff.locator('tbody tr.differs').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.field));
    const equal = await diff.locator('tbody tr.same').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.field));
    for (const field of ['adversarial.lambda', 'adversarial.mode', 'adversarial.disNetRunId']) if (!differing.includes(field)) throw new Error(`${field} is not marked as differing: ${differing.join(', ')}`);
    for (const field of ['latent', 'architecture', 'seed']) if (!equal.includes(field)) throw new Error(`${field} is not shown as equal: ${equal.join(', ')}`);
    const lambda = await diff.locator('tbody tr[data-field="adversarial.lambda"]').innerText();
    if (!/λ\s+—\s+\d/.test(lambda)) throw new Error(`the λ row reads: ${lambda}`);
    await diff.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(resultsDir, 'compare-config-diff.png'), fullPage: true });
    step(`Compare's configuration difference first: ${differing.join(', ')} differ`);
  },
};
