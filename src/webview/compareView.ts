/**
 * The Compare tab: any two autoencoder runs side by side (default: the newest sharpened run (b) and the
 * Q2a run (a) it started from or matches) — first the difference of their configurations, then their
 * figures, the same test digits original / (a) / (b) / blurred, their test L1 curves overlaid, and
 * observations written from the figures.
 */
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import { Q2bSeedRow, RunDetails, RunListItem, isAutoencoderEpoch } from '../runs/schema';
import { RunDetailsAnswer, WebviewToHost } from '../extension/views/workbench/protocol';
import { fixed, meanSd } from '../shared/format';
import { compareRuns } from '../shared/q2a/compare';
import { DIGIT_COLORS } from '../shared/charts/palette';
import { autoencoderCurves } from '../shared/charts/curves';
import { CurveChart } from './curveChart';
import { decodeBase64, digitRows } from './digits';
import { el, setOptions, table } from './dom';
import { RunDetailsRequests } from './runDetailsRequests';
import { configDiffSection } from './runsTable/configDiffTable';
import { persist, restored } from './viewState';
import { batchesPerEpoch } from '../shared/jobs/specs';

type AutoencoderRun = Extract<RunListItem, { ok: true }> & { run: { job: { kind: 'trainAutoencoder' } } };

function isCompletedAutoencoder(item: RunListItem): item is AutoencoderRun {
  return item.ok && item.run.job.kind === 'trainAutoencoder' && item.run.status === 'completed';
}

/** The dis_net whose blurred digits the comparison shows. */
function isCompletedDisNet(item: RunListItem): item is Extract<RunListItem, { ok: true }> {
  return item.ok && item.run.job.kind === 'trainDisNet' && item.run.status === 'completed';
}


/** The (b) run's configuration over every seed on disk, by the figures training never saw. */
function seedsTable(rows: Q2bSeedRow[]): HTMLElement {
  return table(
    ['', 'Test L1', '|1 − sharpness|', "Judge's clear score", 'Collapsed'],
    rows.map((r) => [`${r.model} L=${r.latent}`, meanSd(r.testL1, 4), meanSd(r.sharpnessDistance, 3), meanSd(r.judgeClearScore, 3), `${r.collapsed} of ${r.seeds.length}`]),
    'runs compare-seeds',
  );
}

export class CompareView {
  readonly root = el('section', { className: 'compare' });
  private readonly pickers = [0, 1].map(() => el('vscode-single-select', { className: 'run-picker' }) as HTMLElement & { value: string });
  private readonly body = el('div');
  private readonly curves: CurveChart;
  private runs: AutoencoderRun[] = [];
  private disNetId?: string;
  /** The student's picks, kept across reloads; the defaults until the student picks. */
  private picked?: [string, string] = restored('comparePicks');
  private readonly details = new Map<string, RunDetails>();
  private readonly requested = new Set<string>();
  private readonly requests: RunDetailsRequests;

  constructor(post: (message: WebviewToHost) => void) {
    this.requests = new RunDetailsRequests('compare', post);
    this.curves = new CurveChart({ key: 'compare-test-l1', caption: 'Test L1 after every epoch', yLabel: 'test L1', post });
    this.pickers.forEach((picker, i) => {
      picker.setAttribute('aria-label', i === 0 ? 'Run (a)' : 'Run (b)');
      picker.addEventListener('change', () => {
        this.picked = [this.pickers[0].value, this.pickers[1].value];
        persist('comparePicks', this.picked);
        this.load();
        this.render();
      });
    });
    this.root.append(
      el('div', { className: 'toolbar' }, [el('h2', { textContent: 'Compare — (a) against (b)' })]),
      el('div', { className: 'actions' }, [el('label', { textContent: '(a) ' }, [this.pickers[0]]), el('label', { textContent: '(b) ' }, [this.pickers[1]])]),
      this.body,
      this.curves.root,
    );
  }

  /** The newest sharpened run and the Q2a run it started from (or the newest Q2a run of its size). */
  private defaults(): [string, string] | undefined {
    const b = this.runs.find((r) => r.run.job.config.adversarial);
    if (!b) return this.runs.length >= 2 ? [this.runs[1].run.id, this.runs[0].run.id] : undefined;
    const adv = b.run.job.config.adversarial!;
    const a = this.runs.find((r) => r.run.id === adv.initRunId) ?? this.runs.find((r) => !r.run.job.config.adversarial && r.run.job.config.latent === b.run.job.config.latent);
    return a ? [a.run.id, b.run.id] : undefined;
  }

  shows(item: RunListItem): boolean {
    return isCompletedAutoencoder(item) || isCompletedDisNet(item);
  }

  setRuns(items: RunListItem[]): void {
    this.runs = items.filter(isCompletedAutoencoder);
    this.disNetId = items.find(isCompletedDisNet)?.run.id;
    const ids = new Set(this.runs.map((r) => r.run.id));
    if (!this.picked || !this.picked.every((id) => ids.has(id))) this.picked = this.defaults();
    const options = this.runs.map((r) => ({ value: r.run.id, label: `${r.run.name} — ${r.run.id}` }));
    this.pickers.forEach((picker, i) => setOptions(picker, options, this.picked?.[i]));
    this.load();
    this.render();
  }

  /** Details arrive for every run asked for; which ones are shown is the latest pick's business. */
  answer(message: RunDetailsAnswer): void {
    const details = this.requests.take(message);
    if (!details?.length) return;
    for (const d of details) this.details.set(d.runId, d);
    this.render();
  }

  private load(): void {
    const wanted = [...(this.picked ?? []), ...(this.disNetId ? [this.disNetId] : [])].filter((id) => !this.requested.has(id));
    for (const id of wanted) this.requested.add(id);
    if (wanted.length) this.requests.load(wanted);
  }

  private render(): void {
    if (!this.picked) {
      this.body.replaceChildren(el('p', { className: 'muted', textContent: 'Train a Q2a autoencoder and a sharpened one (Q2b) to compare them here; any two finished autoencoder runs can be picked.' }));
      this.curves.setCurves([]);
      return;
    }
    const [a, b] = this.picked.map((id) => this.runs.find((r) => r.run.id === id)!);
    const [detailsA, detailsB] = this.picked.map((id) => this.details.get(id));
    const [da, db] = [detailsA?.analysis, detailsB?.analysis];
    const row = (label: string, f: (x: RunDetails) => number | undefined, digits: number) => [label, fixed(detailsA && f(detailsA), digits), fixed(detailsB && f(detailsB), digits)];
    const parts: Node[] = [
      configDiffSection(a, b),
      el('h3', { textContent: 'Figures' }),
      table(['', `(a) ${a.run.name}`, `(b) ${b.run.name}`], [
        row('Test L1', (x) => x.analysis?.testL1, 4),
        row('Sharpness (reconstructions / originals)', (x) => x.analysis?.sharpness.ratio, 3),
        row('|1 − sharpness| (smaller is better)', (x) => x.analysis && Math.abs(1 - x.analysis.sharpness.ratio), 3),
        row("Judge's clear score (never trained against)", (x) => x.judged?.judgeClearScore, 3),
        row("dis_net's clear score", (x) => x.judged?.disNetClearScore ?? x.analysis?.disNetClearScore, 3),
        row('K-means purity', (x) => x.analysis?.kmeans.purity, 3),
        row('K-means accuracy', (x) => x.analysis?.kmeans.accuracy, 3),
        row('K-means NMI', (x) => x.analysis?.kmeans.nmi, 3),
      ], 'runs compare-table'),
    ];
    // Q2b's verdict as the engine stored it with (b), for the (a) it was judged against: never recomputed here.
    const verdict = detailsB?.verdict;
    if (verdict && verdict.a.runId === a.run.id) {
      parts.push(el('p', { className: `verdict ${verdict.trulySharper ? 'verdict-sharper' : 'verdict-not-sharper'}`, role: 'status', textContent: verdict.observation }));
    } else if (verdict) {
      parts.push(el('p', { className: 'muted', textContent: `Q2b's verdict on this (b) is against its own (a), run ${verdict.a.runId}: pick that run as (a) to see it.` }));
    } else if (!detailsA?.judged || !detailsB?.judged) {
      parts.push(el('p', { className: 'muted', textContent: "The judge scores a run, and Q2b's verdict is stored with (b), when Q2b runs: “Assignment2: Train Sharpened Autoencoder”, “Run Missing Parts” or `npx assignment2 q2b`." }));
    }
    if (da && db) parts.push(el('ul', { className: 'observations' }, compareRuns(da, db).map((text) => el('li', { textContent: text }))));
    const seeds = detailsB?.seeds?.filter((r) => r.seeds.length > 1);
    if (seeds?.length) parts.push(el('h3', { textContent: `(a) and (b) over seeds ${seeds[0].seeds.join(', ')} (mean ± sample standard deviation)` }), seedsTable(seeds));
    const [sa, sb] = this.picked.map((id) => this.details.get(id)?.reconstructions);
    const blurred = this.disNetId ? this.details.get(this.disNetId)?.blurSamples : undefined;
    if (sa?.epochs.length && sb?.epochs.length) {
      const rows = [
        { label: 'original', images: decodeBase64(sa.originals) },
        { label: '(a)', images: decodeBase64(sa.epochs.at(-1)!.images) },
        { label: '(b)', images: decodeBase64(sb.epochs.at(-1)!.images) },
      ];
      // The blurred row is only meaningful for the very same test digits.
      if (blurred && JSON.stringify(blurred.indices) === JSON.stringify(sa.indices)) rows.push({ label: 'blurred original', images: decodeBase64(blurred.blurred) });
      parts.push(el('h3', { textContent: 'The same test digits' }), digitRows(rows, sa.indices.length, 2));
    }
    this.body.replaceChildren(...parts);
    this.curves.setCurves([a, b].map((r, i) => {
      const { config } = r.run.job;
      const { test } = autoencoderCurves(r.metrics.filter(isAutoencoderEpoch), this.details.get(r.run.id)?.steps, batchesPerEpoch(config));
      return { label: `(${i ? 'b' : 'a'}) ${r.run.name}`, color: DIGIT_COLORS[i], points: test, perEpoch: true };
    }));
  }
}
