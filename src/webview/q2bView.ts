/**
 * The Q2b tab: dis_net runs (blur, accuracy on clear and blurred test images, confusion matrix) and
 * the same test digits clear and blurred, as dis_net is trained to tell them apart.
 */
import { fixed } from '../shared/format';
import { RunDetails, RunListItem, isAutoencoderEpoch } from '../runs/schema';
import { RunDetailsAnswer, WebviewToHost } from '../extension/views/workbench/protocol';
import { decodeBase64, digitRows } from './digits';
import { el, table } from './dom';
import { collapseWarnings, runStatus } from './runStatus';
import { RunDetailsRequests } from './runDetailsRequests';

type DisNetRun = Extract<RunListItem, { ok: true }> & { run: { job: { kind: 'trainDisNet' | 'trainJudge' } } };
type SharpenedRun = Extract<RunListItem, { ok: true }> & { run: { job: { kind: 'trainAutoencoder' } } };

function isSharpened(item: RunListItem): item is SharpenedRun {
  return item.ok && item.run.job.kind === 'trainAutoencoder' && item.run.job.config.adversarial !== undefined;
}

/** dis_net runs and judge runs: both classify clear against blurred. */
function isClassifier(item: RunListItem): item is DisNetRun {
  return item.ok && (item.run.job.kind === 'trainDisNet' || item.run.job.kind === 'trainJudge');
}

const pct = (v: number | undefined) => (v === undefined ? '—' : `${(100 * v).toFixed(3)}%`);

export class Q2bView {
  readonly root = el('section', { className: 'q2b' });
  private readonly body = el('div');
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
    const header = ['Run', 'Status', 'σ', 'Epochs', 'Train loss', 'Test accuracy', 'clear → clear', 'clear → blurred', 'blurred → clear', 'blurred → blurred'];
    const rows = this.runs.map(({ run, metrics }) => {
      const summary = run.summary?.kind === 'disnet' ? run.summary : undefined;
      const last = metrics.at(-1);
      const confusion = summary?.confusion?.flat().map(String) ?? ['—', '—', '—', '—'];
      return [run.name, run.status, String(run.job.config.blur.sigma), `${metrics.length} / ${run.job.config.epochs}`,
        last && !isAutoencoderEpoch(last) ? last.trainLoss.toFixed(4) : '—', pct(summary?.testAccuracy), ...confusion];
    });
    const disNetTable = table(header, rows, 'runs disnet-runs');
    const newest = this.newestDisNet();
    const samples = newest && this.details.get(newest.run.id)?.blurSamples;
    const parts: Node[] = [
      el('h3', { textContent: 'dis_net and judge runs' }),
      el('p', { className: 'muted', textContent: "The judge is a second classifier of clear against blurred, with its own architecture and seed, that no training uses: it scores (a) and (b) in the Compare tab and the report, since (b) was trained to please dis_net." }),
      disNetTable,
    ];
    if (samples) {
      parts.push(
        el('h3', { textContent: `Clear and blurred test digits (σ = ${newest.run.job.config.blur.sigma})` }),
        digitRows([{ label: 'clear', images: decodeBase64(samples.clear) }, { label: 'blurred', images: decodeBase64(samples.blurred) }], samples.indices.length, 2),
      );
    }
    parts.push(el('h3', { textContent: 'Sharpened autoencoders: L1 + λ × dis_net loss' }), this.sharpenedTable());
    this.body.replaceChildren(...parts);
  }

  private sharpenedTable(): HTMLElement {
    if (!this.sharpened.length) {
      return el('p', { className: 'muted', textContent: '“Assignment2: Train Sharpened Autoencoder (L1 + dis_net)” trains them, with dis_net frozen or updated alternately, from scratch or from the matching Q2a run.' });
    }
    const header = ['Run', 'Status', 'Latent', 'λ', 'dis_net', 'Start', 'Epochs', 'Test L1', 'Adversarial', 'Sharpness', 'dis_net clear score', 'K-means acc.'];
    const rows = this.sharpened.map((item) => {
      const { run, metrics } = item;
      const { config } = run.job;
      const adv = config.adversarial!;
      const summary = run.summary?.kind === 'training' ? run.summary : undefined;
      const last = metrics.filter(isAutoencoderEpoch).at(-1);
      return [run.name, runStatus(item), String(config.latent), String(adv.lambda), adv.mode, adv.initRunId ? 'Q2a run' : 'scratch', `${metrics.length} / ${config.epochs}`,
        fixed(last?.testL1, 4), fixed(last?.trainAdversarial, 4), fixed(summary?.sharpnessRatio, 2), fixed(summary?.disNetClearScore, 3), fixed(summary?.kmeansAccuracy, 3)];
    });
    return el('div', {}, [...collapseWarnings(this.sharpened), table(header, rows, 'runs sharpened-runs')]);
  }
}
