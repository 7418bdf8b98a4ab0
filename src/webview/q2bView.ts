/**
 * The Q2b tab: dis_net runs (blur, accuracy on clear and blurred test images, confusion matrix) and
 * the same test digits clear and blurred, as dis_net is trained to tell them apart.
 */
import { RunDetails, RunListItem, WebviewToHost, isAutoencoderEpoch } from '../shared/protocol';
import { decodeBase64, digitRows } from './digits';
import { el } from './dom';

type DisNetRun = Extract<RunListItem, { ok: true }> & { run: { job: { kind: 'trainDisNet' } } };

function isDisNet(item: RunListItem): item is DisNetRun {
  return item.ok && item.run.job.kind === 'trainDisNet';
}

const pct = (v: number | undefined) => (v === undefined ? '—' : `${(100 * v).toFixed(3)}%`);

export class Q2bView {
  readonly root = el('section', { className: 'q2b' });
  private readonly body = el('div');
  private runs: DisNetRun[] = [];
  private readonly details = new Map<string, RunDetails>();
  private requested?: string;

  constructor(
    private readonly post: (message: WebviewToHost) => void,
    header: HTMLElement,
  ) {
    this.root.append(header, this.body);
  }

  setRuns(items: RunListItem[]): void {
    this.runs = items.filter(isDisNet);
    const newest = this.runs.find((r) => r.run.status === 'completed');
    if (newest && !this.details.has(newest.run.id) && this.requested !== newest.run.id) {
      this.requested = newest.run.id;
      this.post({ type: 'loadRunDetails', runIds: [newest.run.id] });
    }
    this.render();
  }

  setDetails(list: RunDetails[]): void {
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
    const table = el('table', { className: 'runs disnet-runs' }, [
      el('thead', {}, [el('tr', {}, header.map((h) => el('th', { textContent: h })))]),
      el('tbody', {}, rows.map((r) => el('tr', {}, r.map((c) => el('td', { textContent: c }))))),
    ]);
    const newest = this.runs.find((r) => r.run.status === 'completed');
    const samples = newest && this.details.get(newest.run.id)?.blurSamples;
    const parts: Node[] = [el('h3', { textContent: 'dis_net runs' }), table];
    if (samples) {
      parts.push(
        el('h3', { textContent: `Clear and blurred test digits (σ = ${newest.run.job.config.blur.sigma})` }),
        digitRows([{ label: 'clear', images: decodeBase64(samples.clear) }, { label: 'blurred', images: decodeBase64(samples.blurred) }], samples.indices.length, 2),
      );
    }
    parts.push(el('p', { className: 'muted', textContent: 'The sharpened autoencoder (L1 + λ × dis_net loss) and the comparison of (a) and (b) are not part of this version yet.' }));
    this.body.replaceChildren(...parts);
  }
}
