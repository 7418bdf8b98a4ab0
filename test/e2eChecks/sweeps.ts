/**
 * The Sweeps view on a real sweep made by the command line: its item says 4/4 done and has its report,
 * its four tasks are listed, a damaged sweep folder is shown with its problem beside it, and a task's
 * state written as a cluster's task writes it shows up without a refresh. A task's log opens in an
 * editor, the sweep's report in a panel that runs no script and loads nothing but its inlined figures,
 * and Run Missing Tasks shows the command it would run first.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { DEFAULT_RECIPES } from '../../src/shared/experiment/defaults';
import { openRunsView, poll, webviewFrames } from '../harness/page';
import type { LabCheck } from './context';

const DAMAGED = 'sweep-0000000000';
const LABEL = `λ ${DEFAULT_RECIPES.frozen.lambda}, 0.02`;
const REPORT_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

/**
 * A sweep over λ (the frozen default, and 0.02) × seeds 1 and 2 on the seeded Q2b's settings (`tiny`),
 * so that it reuses what that trained and trains the two (b) runs at λ 0.02 alone; and a sweep folder
 * whose sweep.json is cut short. The sweep trains into a copy of the runs folder, beside it (its folder
 * is then in the workspace's sweeps folder too), so that the workbench's checks see the seeded runs alone.
 */
export function seedSweeps(cli: string, runsDir: string, tiny: string[]): void {
  const sweepRuns = path.join(path.dirname(runsDir), 'sweep-runs');
  fs.cpSync(runsDir, sweepRuns, { recursive: true });
  const args = [cli, 'sweep', '--mode', 'frozen', ...tiny, '--lambda', `${DEFAULT_RECIPES.frozen.lambda},0.02`, '--seeds', '1-2', '--runs-dir', sweepRuns];
  const plan = JSON.parse(execFileSync(process.execPath, [...args, '--plan', '--json'], { encoding: 'utf8' })) as { tasks: { plan: { steps: { action: string; part: string }[] } }[] };
  const trained = plan.tasks.flatMap((t) => t.plan.steps.filter((s) => s.action === 'train').map((s) => s.part));
  if (trained.join() !== 'q2b,q2b') throw new Error(`the seeded sweep would train ${trained.join(', ') || 'nothing'}, not the two (b) runs at λ 0.02: its flags differ from the seeded Q2b's`);
  execFileSync(process.execPath, args, { stdio: 'ignore' });
  const damaged = path.join(path.dirname(runsDir), 'sweeps', DAMAGED);
  fs.mkdirSync(damaged, { recursive: true });
  fs.writeFileSync(path.join(damaged, 'sweep.json'), '{"schemaVersion": 1, "id": ');
}

/** The labels of a tree row's context menu, which is closed again unless one is to be clicked. */
async function menuOf(page: Page, row: Locator, click?: string): Promise<string[]> {
  await row.click({ button: 'right' });
  const menu = page.locator('.context-view .monaco-menu');
  await menu.waitFor({ state: 'visible', timeout: 10_000 });
  const labels = (await menu.locator('.action-label').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
  if (click && labels.includes(click)) await menu.locator('.action-label', { hasText: click }).first().click();
  else await page.keyboard.press('Escape');
  return labels;
}

/** The sweep report's document among the webviews (its first heading starting so): its policy, heading and figures. */
async function reportFrame(page: Page, heading = 'Sweep'): Promise<{ frame: Frame; policies: string[]; heading: string; figures: number[] }> {
  return poll(`the sweep report, headed "${heading}…", in a webview panel`, 60_000, async () => {
    for (const frame of await webviewFrames(page)) {
      const doc = await frame.evaluate(() => ({
        policies: [...document.querySelectorAll('meta[http-equiv="Content-Security-Policy"]')].map((m) => m.getAttribute('content') ?? ''),
        heading: document.querySelector('h1')?.textContent ?? '',
        figures: [...document.querySelectorAll('img')].map((img) => (img as HTMLImageElement).naturalWidth),
      }));
      if (doc.heading.startsWith(heading) && doc.figures.length && doc.figures.every((w) => w > 0)) return { frame, ...doc };
    }
    return undefined;
  });
}

/** Closes an editor tab by its close button. */
async function closeTab(page: Page, title: string): Promise<void> {
  const tab = page.locator('.tabs-container .tab', { hasText: title });
  await tab.click();
  await tab.locator('.tab-actions .action-label').click();
  await tab.waitFor({ state: 'detached', timeout: 10_000 });
}

export const sweepsCheck: LabCheck = {
  name: 'sweeps',
  async run({ page, frame, workspace, resultsDir, step }) {
    await openRunsView(page);
    const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Sweeps' }) });
    const header = view.locator('.pane-header');
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    const rows = view.locator('.monaco-list-row');
    const sweep = rows.filter({ hasText: LABEL }).first();
    await sweep.filter({ hasText: '4/4 done · report' }).waitFor({ state: 'visible', timeout: 60_000 });
    const damaged = rows.filter({ hasText: DAMAGED });
    await damaged.filter({ hasText: /sweep\.json cannot be read .*delete the folder to start the sweep afresh/ }).waitFor({ state: 'visible', timeout: 30_000 });
    step(`Sweeps view: "${(await sweep.innerText()).replace(/\s+/g, ' ')}", and ${DAMAGED} with its problem`);

    if ((await sweep.getAttribute('aria-expanded')) !== 'true') await sweep.click();
    const tasks = rows.filter({ hasText: /task \d: λ/ });
    await poll('the sweep\'s four tasks, completed', 30_000, async () => ((await tasks.filter({ hasText: 'completed' }).count()) === 4 ? true : undefined));
    const texts = (await tasks.allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
    const wanted = [`task 0: λ ${DEFAULT_RECIPES.frozen.lambda}, seed 1`, `task 1: λ ${DEFAULT_RECIPES.frozen.lambda}, seed 2`, 'task 2: λ 0.02, seed 1', 'task 3: λ 0.02, seed 2'];
    if (!wanted.every((w, i) => texts[i]?.startsWith(w))) throw new Error(`the sweep's tasks read: ${texts.join(' | ')}`);
    step(`its tasks: ${texts.join(' | ')}`);

    // A task's state file, as an array task on a cluster writes it: the view follows it, and the file's removal.
    const dir = path.join(workspace, '.assignment2', 'sweeps', fs.readdirSync(path.join(workspace, '.assignment2', 'sweeps')).find((name) => name !== DAMAGED)!);
    const record = JSON.parse(fs.readFileSync(path.join(dir, 'sweep.json'), 'utf8'));
    const taskFile = path.join(dir, 'tasks', '3.json');
    fs.mkdirSync(path.dirname(taskFile), { recursive: true });
    fs.writeFileSync(taskFile, JSON.stringify({ ...record.tasks[3], status: 'failed', error: 'exited with 1; see logs/task-3.log' }));
    await sweep.filter({ hasText: '3/4 done · 1 failed · report' }).waitFor({ state: 'visible', timeout: 60_000 });
    await tasks.filter({ hasText: 'task 3' }).filter({ hasText: 'failed · exited with 1' }).waitFor({ state: 'visible', timeout: 10_000 });
    step('a task state written beside sweep.json shows without a refresh: 3/4 done · 1 failed');
    fs.rmSync(path.dirname(taskFile), { recursive: true });
    await sweep.filter({ hasText: '4/4 done · report' }).waitFor({ state: 'visible', timeout: 60_000 });

    // The report opens beside the workbench panel (which stays drawn, its page alive), the log in the report's group.
    const sweepMenu = await menuOf(page, sweep, 'Open Sweep Report');
    for (const label of ['Open Sweep Report', 'Open Sweep Report in Browser', 'Reveal Sweep Folder', 'Run Missing Tasks']) {
      if (!sweepMenu.includes(label)) throw new Error(`the sweep's menu lacks ${label}: ${sweepMenu.join(', ')}`);
    }
    const report = await reportFrame(page);
    if (report.policies[0] !== REPORT_POLICY) throw new Error(`the report panel's first policy is ${report.policies[0]}`);
    if (await report.frame.locator('script').count()) throw new Error('the report panel carries a script');
    await page.locator('.tabs-container .tab', { hasText: `Sweep report: ${LABEL}` }).waitFor({ state: 'visible', timeout: 10_000 });
    await page.screenshot({ path: path.join(resultsDir, 'sweeps-view.png'), fullPage: true });
    step(`Open Sweep Report: "${report.heading}", ${report.figures.length} figures drawn`);
    // The report written again (as sweep-report does) is redrawn in the open panel.
    const reportFile = path.join(dir, 'report', 'report.html');
    const original = fs.readFileSync(reportFile, 'utf8');
    fs.writeFileSync(reportFile, original.replace('<h1>Sweep', '<h1>Sweep written again:'));
    await reportFrame(page, 'Sweep written again:');
    fs.writeFileSync(reportFile, original);
    await reportFrame(page, report.heading);
    step('the report, written again, is redrawn in its panel');

    // The task that trained (b) at λ 0.02 has the output of its q2b command line.
    const task = tasks.filter({ hasText: 'task 2' });
    const menu = await menuOf(page, task, 'Open Task Log');
    if (!menu.includes('Open Task Log')) throw new Error(`a task's menu lacks Open Task Log: ${menu.join(', ')}`);
    const editor = page.locator('.editor-instance .view-lines').first();
    await poll('the task log in an editor', 30_000, async () => ((await page.locator('.tabs-container .tab', { hasText: 'task-2.log' }).count()) && (await editor.innerText()).replace(/\u00a0/g, ' ').includes('$ assignment2 q2b') ? true : undefined));
    step('Open Task Log: task-2.log opened, starting with its q2b command line');

    // Run Missing Tasks asks first, showing the sweep's own command line; it is declined here.
    await menuOf(page, sweep, 'Run Missing Tasks');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.filter({ hasText: `npx assignment2 sweep --mode frozen` }).waitFor({ state: 'visible', timeout: 10_000 });
    await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached', timeout: 10_000 });
    step('Run Missing Tasks shows the sweep command and waits for a yes');
    const damagedMenu = await menuOf(page, damaged);
    if (damagedMenu.includes('Open Sweep Report') || !damagedMenu.includes('Reveal Sweep Folder')) throw new Error(`the damaged sweep's menu reads: ${damagedMenu.join(', ')}`);

    await closeTab(page, `Sweep report: ${LABEL}`);
    await closeTab(page, 'task-2.log');
    // The side bar back on the Explorer, the workbench panel on Compare.
    await page.locator('.activitybar .action-item a[aria-label^="Explorer"]').click();
    await view.waitFor({ state: 'hidden', timeout: 10_000 });
    await page.locator('.tabs-container .tab', { hasText: 'Assignment 2 Workbench' }).click();
    await frame.locator('vscode-tab-header[data-tab="compare"]').click();
  },
};
