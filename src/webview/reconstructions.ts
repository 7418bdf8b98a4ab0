/**
 * The Reconstructions view's page: pick an autoencoder run, step through its epochs, and see the same
 * 20 test digits as originals above reconstructions; click one to enlarge it.
 * Runs in the browser frame: every message is validated, all text is set with textContent.
 */
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import { z } from 'zod';
import { HostToReconstructions, ReconstructionsRun, ReconstructionsToHost } from '../extension/views/reconstructions/protocol';
import { upsertNewestFirst } from '../extension/views/newestFirst';
import { ReconstructionSnapshots, RunDetails } from '../runs/schema';
import { parseMessage } from '../shared/validation';
import { DIGIT_SIDE, DIGIT_SIZE, decodeBase64, digitCanvas, digitRows } from './digits';
import { el, setOptions } from './dom';

/** What survives the view being hidden and shown again: the chosen run. */
const ViewState = z.object({ runId: z.string() });
type ViewState = z.infer<typeof ViewState>;

interface VsCodeApi {
  postMessage(message: ReconstructionsToHost): void;
  getState(): unknown;
  setState(state: ViewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** One epoch's reconstructions, decoded. */
type Shown = { epoch: number; images: Uint8Array };

const vscode = acquireVsCodeApi();

/** Widths in the digit grid, in px: the row label, and a digit button's border and gap. */
const LABEL_WIDTH = 64;
const CELL_EXTRA = 4;

let runs: ReconstructionsRun[] | undefined;
let runId: string | undefined = ViewState.safeParse(vscode.getState()).data?.runId;
/** The latest selectRun's id: details that answer an earlier one are stale. */
let latestRequest: string | undefined;
let requestCount = 0;
/** The selected run's details; undefined while they are on their way. */
let details: RunDetails | undefined;
let originals: Uint8Array | undefined;
let epochIndex = 0;
/** The enlarged digit's position among the snapshot digits. */
let picked: number | undefined;
/** The layout the digits were last drawn for. */
let shownLayout = '';

const app = document.getElementById('app')!;
const select = el('vscode-single-select', { id: 'run' }) as HTMLElement & { value: string };
const slider = el('input', { type: 'range', min: '0', step: '1', className: 'step-slider', id: 'epoch' });
const epochLabel = el('span', { className: 'epoch-label' });
const picker = el('div', { className: 'field' }, [el('label', { htmlFor: 'run', textContent: 'Autoencoder run' }), select]);
const notes = el('div', { className: 'notes' });
const epochRow = el('div', { className: 'slider-row' }, [el('label', { htmlFor: 'epoch', textContent: 'Epoch' }), slider, epochLabel]);
const grid = el('div', { className: 'recon-grid' });
const enlarged = el('section', { className: 'enlarged', ariaLabel: 'Enlarged digit' });

interface Layout {
  gridScale: number;
  pairsPerBlock: number;
  enlargedScale: number;
}

/**
 * Grid digits as large as still puts four in a row (a narrow side bar would otherwise stack ten
 * blocks), counted in pairs so a digit's two examples stay together; the enlarged two as large as fits.
 */
function layout(): Layout {
  const width = app.clientWidth;
  const pairsThatFit = (scale: number) => Math.floor((width - LABEL_WIDTH) / (DIGIT_SIDE * scale + CELL_EXTRA) / 2);
  const gridScale = [2, 1.5, 1].find((scale) => pairsThatFit(scale) >= 2) ?? 1;
  const enlargedScale = Math.max(3, Math.min(10, Math.floor(width / (2 * DIGIT_SIDE + 8))));
  return { gridScale, pairsPerBlock: Math.max(1, pairsThatFit(gridScale)), enlargedScale };
}

function choose(id: string | undefined): void {
  if (id !== runId) {
    details = undefined;
    originals = undefined;
    picked = undefined;
  }
  runId = id;
  if (id) vscode.setState({ runId: id });
}

/** Asks for this run's details; the host answers now and again whenever its snapshots change. */
function request(id: string): void {
  latestRequest = `select-${++requestCount}`;
  vscode.postMessage({ type: 'selectRun', runId: id, requestId: latestRequest });
}

function snapshots(): ReconstructionSnapshots | undefined {
  return details?.reconstructions?.epochs.length ? details.reconstructions : undefined;
}

/** The current epoch's reconstructions, or undefined when the file does not hold what it claims. */
function current(): Shown | undefined {
  const snaps = snapshots();
  if (!snaps || !originals) return undefined;
  const { epoch, images } = snaps.epochs[epochIndex];
  const bytes = decodeBase64(images);
  return bytes.length === originals.length ? { epoch, images: bytes } : undefined;
}

function runLabel(run: ReconstructionsRun): string {
  const epochs = `${run.epochs} epoch${run.epochs === 1 ? '' : 's'}`;
  return `${run.name} — ${run.id} (${run.status}, ${epochs})`;
}

function render(): void {
  if (!runs) return;
  if (!runs.length) {
    app.replaceChildren(
      el('section', { className: 'empty' }, [el('p', { textContent: "No autoencoder runs yet: run 'Assignment2: Train Autoencoder'." })]),
    );
    return;
  }
  if (!app.contains(select)) app.replaceChildren(picker, notes, epochRow, grid, enlarged);
  renderPicker(runs);
  renderSnapshots();
}

function renderPicker(list: ReconstructionsRun[]): void {
  setOptions(select, list.map((run) => ({ value: run.id, label: runLabel(run) })), runId);
}

function note(text: string, className = 'muted'): HTMLElement {
  return el('p', { className, textContent: text });
}

/** Everything below the picker: notes, slider, digits and the enlarged one. */
function renderSnapshots(): void {
  const run = runs?.find((r) => r.id === runId);
  // The side bar cuts long labels short; the tooltip has the whole one.
  select.title = run ? runLabel(run) : '';
  const snaps = snapshots();
  const shown = current();
  const messages = (details?.problems ?? []).map((problem) => note(problem, 'error'));
  if (!details) messages.push(note('Loading…'));
  else if (!snaps) messages.push(note(run?.status === 'running' ? 'No snapshots yet: the first appears when epoch 1 finishes.' : 'This run kept no reconstruction snapshots.'));
  else if (!shown) messages.push(note('The reconstruction snapshots of this run are damaged.', 'error'));
  notes.replaceChildren(...messages);

  epochRow.hidden = !snaps || snaps.epochs.length < 2;
  if (snaps) {
    const epoch = snaps.epochs[epochIndex].epoch;
    slider.max = String(snaps.epochs.length - 1);
    slider.value = String(epochIndex);
    slider.ariaValueText = `Epoch ${epoch}`;
    epochLabel.textContent = `${epoch} of ${snaps.epochs.at(-1)!.epoch}`;
  }
  const now = layout();
  renderGrid(snaps, shown, now);
  renderEnlarged(snaps, shown, now.enlargedScale);
  shownLayout = JSON.stringify(now);
}

/** The digits in blocks of about equal width, each an original row above a reconstruction row. */
function renderGrid(snaps: ReconstructionSnapshots | undefined, shown: Shown | undefined, { gridScale, pairsPerBlock }: Layout): void {
  if (!snaps || !shown || !originals) {
    grid.replaceChildren();
    return;
  }
  const count = snaps.indices.length;
  const pairs = Math.ceil(count / 2);
  const blockCount = Math.ceil(pairs / pairsPerBlock);
  const blocks: HTMLElement[] = [];
  for (let k = 0; k < blockCount; k++) {
    const start = 2 * Math.floor((k * pairs) / blockCount);
    const end = Math.min(count, 2 * Math.floor(((k + 1) * pairs) / blockCount));
    const slice = (images: Uint8Array) => images.subarray(start * DIGIT_SIZE, end * DIGIT_SIZE);
    const rows = [
      { label: 'Original', images: slice(originals) },
      { label: `Epoch ${shown.epoch}`, images: slice(shown.images) },
    ];
    blocks.push(digitRows(rows, end - start, gridScale, (column) => pick(start + column)));
  }
  grid.replaceChildren(...blocks);
}

function renderEnlarged(snaps: ReconstructionSnapshots | undefined, shown: Shown | undefined, scale: number): void {
  if (picked === undefined || !snaps || !shown || !originals) {
    enlarged.replaceChildren();
    enlarged.hidden = true;
    return;
  }
  const figure = (images: Uint8Array, caption: string) =>
    el('figure', {}, [digitCanvas(images, picked!, scale), el('figcaption', { textContent: caption })]);
  const close = el('button', { className: 'close', textContent: '×', title: 'Close', ariaLabel: 'Close the enlarged digit' });
  close.addEventListener('click', () => unpick());
  enlarged.hidden = false;
  enlarged.replaceChildren(
    el('div', { className: 'enlarged-header' }, [
      el('h3', { textContent: `Digit ${snaps.labels[picked]} · test image #${snaps.indices[picked]}` }),
      close,
    ]),
    el('div', { className: 'enlarged-pair' }, [figure(originals, 'Original'), figure(shown.images, `Reconstruction, epoch ${shown.epoch}`)]),
  );
}

function pick(index: number): void {
  picked = index;
  renderSnapshots();
  enlarged.scrollIntoView({ block: 'nearest' });
}

function unpick(): void {
  picked = undefined;
  renderSnapshots();
}

function onRuns(list: ReconstructionsRun[], selected: string | undefined): void {
  runs = list;
  const known = (id: string | undefined) => id !== undefined && list.some((run) => run.id === id);
  // The host's choice (showRun) first, then ours, then the newest run.
  const id = [selected, runId].find(known) ?? list[0]?.id;
  const unchanged = id === runId && id === selected && latestRequest !== undefined;
  choose(id);
  // The host already answers our latest request for this run; otherwise ask.
  if (id && !unchanged) request(id);
  render();
}

/** One run's entry changed: only the picker, and the notes if it is the run shown, are redrawn. */
function onRun(entry: ReconstructionsRun): void {
  if (!runs) return; // the 'runs' on its way holds it
  const list = upsertNewestFirst(runs, entry, (run) => run.id);
  if (!runId || runs.length === 0) {
    onRuns(list, undefined);
    return;
  }
  runs = list;
  renderPicker(list);
  if (entry.id === runId) renderSnapshots();
}

function onRunRemoved(id: string): void {
  if (!runs) return;
  const list = runs.filter((run) => run.id !== id);
  if (id === runId || list.length === 0) {
    onRuns(list, undefined);
    return;
  }
  runs = list;
  renderPicker(list);
}

function onDetails(requestId: string, next: RunDetails): void {
  if (requestId !== latestRequest || next.runId !== runId) return;
  const before = snapshots()?.epochs.length ?? 0;
  // Follow the newest epoch while training, unless the user has stepped back to an earlier one.
  const following = !details || epochIndex >= before - 1;
  details = next;
  const snaps = snapshots();
  originals = undefined;
  if (snaps) {
    const bytes = decodeBase64(snaps.originals);
    if (snaps.labels.length === snaps.indices.length && bytes.length === snaps.indices.length * DIGIT_SIZE) originals = bytes;
  }
  const last = (snaps?.epochs.length ?? 1) - 1;
  epochIndex = following ? last : Math.min(epochIndex, last);
  if (picked !== undefined && picked >= (snaps?.indices.length ?? 0)) picked = undefined;
  renderSnapshots();
}

select.addEventListener('change', () => {
  choose(select.value);
  request(select.value);
  renderSnapshots();
});

slider.addEventListener('input', () => {
  epochIndex = Number(slider.value);
  renderSnapshots();
});

document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && picked !== undefined) unpick();
});

// Digits are drawn in the theme's colours and as many to a row as fit: redraw when either changes.
new MutationObserver(() => {
  if (runs?.length) renderSnapshots();
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });
new ResizeObserver(() => {
  if (runs?.length && JSON.stringify(layout()) !== shownLayout) renderSnapshots();
}).observe(app);

window.addEventListener('message', (event: MessageEvent) => {
  const parsed = parseMessage(HostToReconstructions, event.data);
  if (!parsed.ok) {
    console.warn(`Reconstructions view: dropped a malformed message (${parsed.error})`);
    return;
  }
  const message = parsed.value;
  switch (message.type) {
    case 'runs':
      onRuns(message.runs, message.selected);
      return;
    case 'run':
      onRun(message.run);
      return;
    case 'runRemoved':
      onRunRemoved(message.id);
      return;
    case 'details':
      onDetails(message.requestId, message.details);
      return;
  }
});

vscode.postMessage({ type: 'ready' });
