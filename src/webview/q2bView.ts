/**
 * The Q2b tab: dis_net runs (blur, accuracy on clear and blurred test images, confusion matrix) and
 * the same test digits clear and blurred, as dis_net is trained to tell them apart.
 */
import { RunDetails, RunListItem } from '../runs/schema';
import { RunDetailsAnswer, WebviewToHost } from '../extension/views/workbench/protocol';
import { decodeBase64, digitRows } from './digits';
import { el } from './dom';
import { collapseWarnings, runStatus } from './runStatus';
import { RunDetailsRequests } from './runDetailsRequests';
import { RunsTable } from './runsTable/runsTable';
import { autoencoderColumns, classifierColumns, tableColumns } from '../shared/runsTable/columns';

type DisNetRun = Extract<RunListItem, { ok: true }> & { run: { job: { kind: 'trainDisNet' | 'trainJudge' } } };
type SharpenedRun = Extract<RunListItem, { ok: true }> & { run: { job: { kind: 'trainAutoencoder' } } };

function isSharpened(item: RunListItem): item is SharpenedRun {
  return item.ok && item.run.job.kind === 'trainAutoencoder' && item.run.job.config.adversarial !== undefined;
}

/** dis_net runs and judge runs: both classify clear against blurred. */
function isClassifier(item: RunListItem): item is DisNetRun {
  return item.ok && (item.run.job.kind === 'trainDisNet' || item.run.job.kind === 'trainJudge');
}

export class Q2bView {
  readonly root = el('section', { className: 'q2b' });
  private readonly body = el('div');
  // The tables are built once and kept in place, so a filter being typed keeps its focus as runs update.
  private readonly disNetTable = new RunsTable<DisNetRun>({
    className: 'runs disnet-runs',
    stateKey: 'disNetRunsTable',
    ...tableColumns(classifierColumns(), ['name', 'status', 'config.blur.sigma', 'config.seed', 'epochs', 'trainLoss', 'testAccuracy', 'confusion.00', 'confusion.01', 'confusion.10', 'confusion.11']),
  });
  private readonly sharpenedTable = new RunsTable<SharpenedRun>({
    className: 'runs sharpened-runs',
    stateKey: 'sharpenedRunsTable',
    ...tableColumns(autoencoderColumns(), ['name', 'status', 'config.latent', 'config.adversarial.lambda', 'config.adversarial.mode', 'start', 'config.seed', 'epochs', 'testL1', 'adversarial', 'sharpness', 'disNetClearScore', 'kmeansAccuracy']),
    cells: { status: runStatus },
  });
  private readonly sharpenedWarnings = el('div');
  private readonly samplesBox = el('div');
  private readonly sharpenedBox = el('div');
  private runs: DisNetRun[] = [];
  private sharpened: SharpenedRun[] = [];
  private readonly details = new Map<string, RunDetails>();
  private requested?: string;
  private readonly requests: RunDetailsRequests;

  constructor(post: (message: WebviewToHost) => void, header: HTMLElement) {
    this.requests = new RunDetailsRequests('q2b', post);
    this.root.append(header, this.body);
  }

  shows(item: RunListItem): boolean {
    return isClassifier(item) || isSharpened(item);
  }

  setRuns(items: RunListItem[]): void {
    this.runs = items.filter(isClassifier);
    this.sharpened = items.filter(isSharpened);
    const newest = this.newestDisNet();
    if (newest && !this.details.has(newest.run.id) && this.requested !== newest.run.id) {
      this.requested = newest.run.id;
      this.requests.load([newest.run.id]);
    }
    this.render();
  }

  private newestDisNet(): DisNetRun | undefined {
    return this.runs.find((r) => r.run.job.kind === 'trainDisNet' && r.run.status === 'completed');
  }

  answer(message: RunDetailsAnswer): void {
    const details = this.requests.take(message);
    if (details?.length) this.setDetails(details);
  }

  private setDetails(list: RunDetails[]): void {
    for (const d of list) if (this.runs.some((r) => r.run.id === d.runId)) this.details.set(d.runId, d);
    this.render();
  }

  private render(): void {
    if (!this.runs.length) {
      this.body.replaceChildren(
        el('p', { className: 'muted', textContent: 'No dis_net yet. “Assignment2: Train Blur Discriminator” trains it on the training images, half clear and half Gaussian-blurred in every batch, and tests it on every test image, clear and blurred.' }),
      );
      return;
    }
    if (this.disNetTable.root.parentElement !== this.body) {
      this.body.replaceChildren(
        el('h3', { textContent: 'dis_net and judge runs' }),
        el('p', { className: 'muted', textContent: "The judge is a second classifier of clear against blurred, with its own architecture and seed, that no training uses: it scores (a) and (b) in the Compare tab and the report, since (b) was trained to please dis_net." }),
        this.disNetTable.root,
        this.samplesBox,
        el('h3', { textContent: 'Sharpened autoencoders: L1 + λ × dis_net loss' }),
        this.sharpenedBox,
      );
    }
    this.disNetTable.setRows(this.runs);
    const newest = this.newestDisNet();
    const samples = newest && this.details.get(newest.run.id)?.blurSamples;
    this.samplesBox.replaceChildren(
      ...(samples
        ? [
            el('h3', { textContent: `Clear and blurred test digits (σ = ${newest.run.job.config.blur.sigma})` }),
            digitRows([{ label: 'clear', images: decodeBase64(samples.clear) }, { label: 'blurred', images: decodeBase64(samples.blurred) }], samples.indices.length, 2),
          ]
        : []),
    );
    this.renderSharpened();
  }

  private renderSharpened(): void {
    if (!this.sharpened.length) {
      this.sharpenedBox.replaceChildren(
        el('p', { className: 'muted', textContent: '“Assignment2: Train Sharpened Autoencoder (L1 + dis_net)” trains them, with dis_net frozen or updated alternately, from scratch or from the matching Q2a run.' }),
      );
      return;
    }
    if (this.sharpenedTable.root.parentElement !== this.sharpenedBox) this.sharpenedBox.replaceChildren(this.sharpenedWarnings, this.sharpenedTable.root);
    this.sharpenedWarnings.replaceChildren(...collapseWarnings(this.sharpened));
    this.sharpenedTable.setRows(this.sharpened);
  }
}
