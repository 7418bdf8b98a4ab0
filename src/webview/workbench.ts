/**
 * The workbench webview: tabs for Q1, Q2a, Q2b and Compare, a live job bar, and the runs the host sends.
 * Runs in the browser frame: no Node, no vscode API but acquireVsCodeApi; every message is validated.
 * All text is set with textContent, so run names and paths can never inject markup.
 */
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import { ActiveJob, HostToWebview, WORKBENCH_TABS, WebviewCommand, WorkbenchSnapshot, WorkbenchTab } from '../extension/views/workbench/protocol';
import { upsertNewestFirst } from '../extension/views/newestFirst';
import { RunListItem } from '../runs/schema';
import { parseMessage } from '../shared/validation';
import { button, el } from './dom';
import { post } from './host';
import { persist, restored } from './viewState';
import { Q1View } from './q1View';
import { Q2aView } from './q2aView';
import { Q2bView } from './q2bView';
import { CompareView } from './compareView';

const TAB_LABELS: Record<WorkbenchTab, string> = { q1: 'Q1', q2a: 'Q2a', q2b: 'Q2b', compare: 'Compare' };

let snapshot: WorkbenchSnapshot = { runs: [] };
let tab: WorkbenchTab = restored('tab') ?? 'q1';

function commandButton(label: string, command: WebviewCommand, secondary = false): HTMLElement {
  return button(label, () => post({ type: 'runCommand', command }), { secondary });
}

function jobBar(job: ActiveJob | undefined): HTMLElement {
  if (!job) return el('div', { className: 'job idle' });
  const done = Math.max(0, (job.epoch - 1) * job.batches + job.batch);
  const total = job.epochs * job.batches;
  const bar = el('vscode-progress-bar');
  bar.setAttribute('value', String(done));
  bar.setAttribute('max', String(total));
  return el('div', { className: 'job' }, [
    el('span', {
      textContent: `Training ${job.label}: epoch ${Math.max(job.epoch, 1)}/${job.epochs}, batch ${job.batch}/${job.batches}${job.loss === undefined ? '' : `, L1 ${job.loss.toFixed(4)}`}`,
    }),
    bar,
    commandButton('Cancel', 'assignment2.cancelJob', true),
  ]);
}

function backendText(): { text: string; title: string } {
  const b = snapshot.backend;
  if (!b) return { text: 'Backend: chosen when the engine starts', title: '' };
  return {
    text: `Backend: ${b.chosen}${b.device ? ` (${b.device})` : ''}`,
    title: b.candidates.map((c) => `${c.name}: ${c.status} — ${c.reason}`).join('\n'),
  };
}

const q1 = new Q1View((params) => post({ type: 'saveQ1Study', params }));
const q2a = new Q2aView(
  post,
  el('div', { className: 'toolbar' }, [
    el('h2', { textContent: 'Q2a — MNIST autoencoders with 2-, 16- and 256-D latents' }),
    commandButton('Train Autoencoder', 'assignment2.trainAutoencoder'),
    commandButton('Refresh', 'assignment2.refreshRuns', true),
  ]),
);
const backendLine = el('span', { className: 'backend' });
const q2b = new Q2bView(
  post,
  el('div', { className: 'toolbar' }, [
    el('h2', { textContent: 'Q2b — dis_net and the sharpened autoencoder' }),
    commandButton('Train Blur Discriminator', 'assignment2.trainDisNet'),
    commandButton('Train Sharpened Autoencoder', 'assignment2.trainSharpened'),
  ]),
);
const compare = new CompareView(post);
const runViews = [q1, q2a, q2b, compare];
const tabs = el('vscode-tabs');

/** The page is built once, so the Q1 form and its charts survive updates; other tabs re-render. */
function build(): void {
  tabs.setAttribute('selected-index', String(WORKBENCH_TABS.indexOf(tab)));
  for (const t of WORKBENCH_TABS) {
    const header = el('vscode-tab-header', { slot: 'header', textContent: TAB_LABELS[t] });
    header.dataset.tab = t; // vscode-tabs assigns its own ids, so tests and styles use this instead
    const views = { q1: q1.root, q2a: q2a.root, q2b: q2b.root, compare: compare.root };
    const panel = el('vscode-tab-panel', {}, [views[t]]);
    tabs.append(header, panel);
  }
  tabs.addEventListener('vsc-tabs-select', (e) => {
    const index = (e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
    tab = WORKBENCH_TABS[index] ?? 'q1';
    persist('tab', tab);
  });
  document.getElementById('app')!.replaceChildren(
    el('header', {}, [el('h1', { textContent: 'Assignment 2 Workbench' }), backendLine, commandButton('Export Report', 'assignment2.exportReport', true)]),
    jobBar(snapshot.job),
    tabs,
  );
}

function update(): void {
  const backend = backendText();
  backendLine.textContent = backend.text;
  backendLine.title = backend.title;
  for (const view of runViews) view.setRuns(snapshot.runs);
  replaceJobBar(snapshot.job);
}

/** One run changed: only the tabs that show it, as it was or as it is now, are redrawn. */
function updateRun(runs: RunListItem[], changed: (RunListItem | undefined)[]): void {
  snapshot = { ...snapshot, runs };
  for (const view of runViews) if (changed.some((item) => item && view.shows(item))) view.setRuns(runs);
}

function replaceJobBar(job: ActiveJob | undefined): void {
  document.querySelector('.job')?.replaceWith(jobBar(job));
}

window.addEventListener('message', (event: MessageEvent) => {
  const parsed = parseMessage(HostToWebview, event.data);
  if (!parsed.ok) {
    console.warn(`Assignment 2 workbench: dropped a malformed message (${parsed.error})`);
    return;
  }
  const message = parsed.value;
  switch (message.type) {
    case 'snapshot':
      snapshot = message.snapshot;
      update();
      return;
    case 'run': {
      const before = snapshot.runs.find((item) => item.dir === message.item.dir);
      updateRun(upsertNewestFirst(snapshot.runs, message.item, (item) => item.dir), [before, message.item]);
      return;
    }
    case 'runRemoved': {
      const before = snapshot.runs.find((item) => item.dir === message.dir);
      if (before) updateRun(snapshot.runs.filter((item) => item !== before), [before]);
      return;
    }
    case 'job':
      snapshot = { ...snapshot, job: message.job ?? undefined };
      replaceJobBar(snapshot.job);
      q2a.setJob(snapshot.job);
      return;
    case 'runDetails':
      // Each tab takes the answers to its own requests only.
      for (const view of [q2a, q2b, compare]) view.answer(message);
      return;
    case 'explored':
      q2a.explored(message);
      return;
    case 'showTab':
      tab = message.tab;
      persist('tab', tab);
      tabs.setAttribute('selected-index', String(WORKBENCH_TABS.indexOf(tab)));
      return;
  }
});

build();
update();
post({ type: 'ready' });
