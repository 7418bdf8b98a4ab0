/**
 * The Q2a tab: the autoencoder runs, their loss curves (live while training), the architecture,
 * K-means figures against the raw-pixel baseline, the 2-D latent views coloured by digit and by cluster,
 * reconstructions, and observations. Charts show the newest run of each latent size unless the
 * student ticks other runs in the table.
 */
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import { AutoencoderAnalysis, PixelBaseline, RunDetails, RunListItem, isAutoencoderEpoch } from '../runs/schema';
import { ActiveJob, ExploredAnswer, RunDetailsAnswer, WebviewToHost } from '../extension/views/workbench/protocol';
import { compareLatents } from '../shared/q2a/compare';
import { DIGIT_COLORS } from '../shared/charts/palette';
import { ScatterPoint, latentScatterChart, projectionAxes } from '../shared/charts/q2Charts';
import { Curve, CurvePoint, autoencoderCurves } from '../shared/charts/curves';
import { Chart } from './charts';
import { CurveChart } from './curveChart';
import { decodeBase64, digitRows } from './digits';
import { el, table } from './dom';
import { collapseWarnings, runStatus } from './runStatus';
import { RunDetailsRequests } from './runDetailsRequests';
import { ExplorableRun, LatentExplorer } from './latentExplorer';
import { DamagedRun, RunsTable } from './runsTable/runsTable';
import { autoencoderColumns, tableColumns } from '../shared/runsTable/columns';
import { persist, restored } from './viewState';
import { batchesPerEpoch } from '../shared/jobs/specs';

type AutoencoderRun = Extract<RunListItem, { ok: true }> & { run: { job: { kind: 'trainAutoencoder' } } };

/** Q2a's runs: autoencoders trained with L1 alone (the sharpened ones belong to Q2b). */
function isAutoencoder(item: RunListItem): item is AutoencoderRun {
  return item.ok && item.run.job.kind === 'trainAutoencoder' && !item.run.job.config.adversarial;
}

/** A key that changes whenever a run's files may have changed, so details are re-read only then. */
function versionOf(item: AutoencoderRun): string {
  return `${item.run.status}:${item.metrics.length}:${item.run.endedAt ?? ''}`;
}

/** The runs ticked for the charts before a reload, if the student ticked any. */
function restoredChoice(): Set<string> | undefined {
  const ids = restored('q2aShown');
  return ids && new Set(ids);
}

export class Q2aView {
  readonly root = el('section', { className: 'q2a' });
  private readonly runsBox = el('div');
  private readonly warningsBox = el('div');
  private readonly runsTable: RunsTable<AutoencoderRun>;
  private readonly detailsBox = el('div');
  private readonly loss: CurveChart;
  /** The running run's batches as the job reports them, drawn past its step log until the log catches up. */
  private live?: { runId: string; points: CurvePoint[] };
  private runs: AutoencoderRun[] = [];
  /** The runs the student ticked for the charts, kept across reloads. */
  private chosen = restoredChoice();
  private damaged: DamagedRun[] = [];
  private readonly details = new Map<string, { version: string; details: RunDetails }>();
  private readonly requested = new Map<string, string>();
  private readonly requests: RunDetailsRequests;
  private baseline?: PixelBaseline;
  private scatterCharts: Chart[] = [];
  private readonly explorer: LatentExplorer;
  /** Which runs the details section was drawn for: redrawing 10,000-point scatters is not free. */
  private detailsDrawnFor = '';

  constructor(post: (message: WebviewToHost) => void, header: HTMLElement) {
    this.requests = new RunDetailsRequests('q2a', post);
    this.explorer = new LatentExplorer(post);
    this.runsTable = new RunsTable<AutoencoderRun>({
      className: 'runs q2a-runs',
      stateKey: 'q2aRunsTable',
      ...tableColumns(autoencoderColumns(), ['name', 'status', 'config.architecture', 'config.latent', 'epochs', 'trainL1', 'testL1', 'sharpness', 'kmeansAccuracy', 'kmeansNmi', 'config.seed', 'config.learningRate', 'secondsPerEpoch', 'backend']),
      cells: { status: runStatus },
      leading: [{ header: 'Show', cell: (item) => this.showBox(item) }],
    });
    this.loss = new CurveChart({ key: 'q2a-loss', caption: 'L1: train at every step (solid), test after every epoch (dots)', yLabel: 'L1', post });
    this.root.append(
      header,
      this.runsBox,
      this.loss.root,
      this.detailsBox,
    );
  }

  /** Runs shown in the charts: the student's ticks, else the newest run of each latent size. */
  private shown(): AutoencoderRun[] {
    if (this.chosen) return this.runs.filter((r) => this.chosen!.has(r.run.id));
    const newest = new Map<number, AutoencoderRun>();
    for (const r of this.runs) if (!newest.has(r.run.job.config.latent) && r.run.status !== 'failed') newest.set(r.run.job.config.latent, r);
    return [...newest.values()].sort((a, b) => a.run.job.config.latent - b.run.job.config.latent);
  }

  /** Whether this tab shows the run: its table lists damaged runs too. */
  shows(item: RunListItem): boolean {
    return !item.ok || isAutoencoder(item);
  }

  setRuns(items: RunListItem[]): void {
    this.runs = items.filter(isAutoencoder);
    this.root.classList.toggle('empty-runs', this.runs.length === 0);
    this.damaged = items.filter((i): i is DamagedRun => !i.ok);
    this.renderTable();
    this.drawLoss();
    const stale = this.shown().filter((r) => this.details.get(r.run.id)?.version !== versionOf(r) && this.requested.get(r.run.id) !== versionOf(r));
    for (const r of stale) this.requested.set(r.run.id, versionOf(r));
    if (stale.length) this.requests.load(stale.map((r) => r.run.id));
    // New details arrive through setDetails; here only a change of the shown runs needs a redraw.
    if (this.shown().map((r) => r.run.id).join() !== this.detailsDrawnFor) this.renderDetails();
  }

  /** The latent explorer's decoded images. */
  explored(message: ExploredAnswer): void {
    this.explorer.answer(message);
  }

  /** Takes the answers to this tab's requests (the latest one per run), and ignores the rest. */
  answer(message: RunDetailsAnswer): void {
    const details = this.requests.take(message);
    if (details?.length) this.setDetails(details, message.baseline);
  }

  private setDetails(list: RunDetails[], baseline?: PixelBaseline): void {
    for (const d of list) {
      const run = this.runs.find((r) => r.run.id === d.runId);
      if (run) this.details.set(d.runId, { version: this.requested.get(d.runId) ?? versionOf(run), details: d });
    }
    this.baseline = baseline ?? this.baseline;
    this.drawLoss();
    this.renderDetails();
  }

  private renderTable(): void {
    if (!this.runs.length && !this.damaged.length) {
      this.runsBox.replaceChildren(
        el('p', { className: 'muted', textContent: 'No autoencoder runs yet. “Assignment2: Train Autoencoder” trains one run per latent size (2, 16, 256) with L1 loss; its curves and figures appear here as it trains.' }),
      );
      return;
    }
    // Kept in place, not rebuilt, so the filter being typed keeps its focus while runs update.
    if (this.runsTable.root.parentElement !== this.runsBox) this.runsBox.replaceChildren(this.warningsBox, this.runsTable.root);
    this.warningsBox.replaceChildren(...collapseWarnings(this.runs));
    this.runsTable.setRows(this.runs, this.damaged);
  }

  /** The "Show" tick of a run: which runs the charts below draw. */
  private showBox(item: AutoencoderRun): HTMLElement {
    const shownIds = new Set(this.shown().map((r) => r.run.id));
    const box = el('vscode-checkbox', { title: 'Show in the charts below' }) as HTMLElement & { checked: boolean };
    box.checked = shownIds.has(item.run.id);
    box.setAttribute('aria-label', `Show ${item.run.name} in the charts`);
    box.addEventListener('change', () => {
      this.chosen ??= new Set(shownIds);
      if (box.checked) this.chosen.add(item.run.id);
      else this.chosen.delete(item.run.id);
      persist('q2aShown', [...this.chosen]);
      this.setRuns([...this.runs, ...this.damaged]);
    });
    return box;
  }

  private drawLoss(): void {
    const curves = this.shown().flatMap((r, i): Curve[] => {
      const { config } = r.run.job;
      const color = DIGIT_COLORS[i % DIGIT_COLORS.length];
      const steps = this.details.get(r.run.id)?.details.steps;
      const { train, test } = autoencoderCurves(r.metrics.filter(isAutoencoderEpoch), steps, batchesPerEpoch(config));
      const logged = train.at(-1)?.step ?? 0;
      const live = this.live?.runId === r.run.id ? this.live.points.filter((p) => p.step > logged) : [];
      return [
        { label: `L=${config.latent} train`, color, points: [...train, ...live], perEpoch: !steps?.length && !live.length },
        { label: `L=${config.latent} test`, color, points: test, perEpoch: true },
      ];
    });
    this.loss.setCurves(curves);
  }

  /** The job in progress: its batches extend its run's train curve between the step log's flushes. */
  setJob(job: ActiveJob | undefined): void {
    if (!job?.runId || job.loss === undefined || job.epoch < 1 || job.batch < 1) return;
    if (this.live?.runId !== job.runId) this.live = { runId: job.runId, points: [] };
    const step = (job.epoch - 1) * job.batches + job.batch;
    if (step > (this.live.points.at(-1)?.step ?? 0)) this.live.points.push({ step, epoch: job.epoch - 1 + job.batch / job.batches, y: job.loss });
    if (this.shown().some((r) => r.run.id === job.runId)) this.drawLoss();
  }

  private scatter(run: ExplorableRun, colourBy: 'digit' | 'cluster', title: string, axes: [string, string]): HTMLElement {
    const points = run.points;
    const canvas = el('canvas');
    const config = latentScatterChart(points, colourBy, ...axes);
    config.options!.plugins = {
      tooltip: {
        callbacks: {
          label: (ctx) => {
            const i = (ctx.raw as ScatterPoint).i;
            return `test image #${i}: digit ${points.labels[i]}${colourBy === 'cluster' ? `, cluster ${points.clusters[i]}` : ''}`;
          },
        },
      },
    };
    // The digit-coloured 2-D scatter lies over the decoder's manifold; every scatter answers clicks.
    const chart = this.explorer.chart(canvas, config, run, colourBy === 'digit');
    this.scatterCharts.push(chart);
    return el('figure', { className: 'chart' }, [el('figcaption', { textContent: title }), el('div', { className: 'chart-box square' }, [canvas])]);
  }

  private renderDetails(): void {
    for (const c of this.scatterCharts) c.destroy();
    this.scatterCharts = [];
    const shown = this.shown();
    this.detailsDrawnFor = shown.map((r) => r.run.id).join();
    const loaded = shown.map((r) => ({ run: r, details: this.details.get(r.run.id)?.details }));
    const analyses = loaded.flatMap((l) => (l.details?.analysis ? [l.details.analysis] : []));
    const parts: Node[] = [];
    const problems = loaded.flatMap((l) => l.details?.problems ?? []);
    if (problems.length) parts.push(el('p', { className: 'form-error', textContent: `Some run files could not be read: ${problems.join('; ')}` }));
    if (!analyses.length) {
      parts.push(el('p', { className: 'muted', textContent: 'K-means, latent plots and reconstructions appear when a run has finished training and its analysis.' }));
    } else {
      parts.push(el('h3', { textContent: 'K-means (k = 10) on the test set' }), this.kmeansTable(analyses));
      parts.push(el('h3', { textContent: 'Latent space' }), this.latentPlots(loaded));
      parts.push(el('h3', { textContent: 'Reconstructions (two test digits of each class)' }), this.reconstructions(loaded));
      parts.push(el('h3', { textContent: 'Observations' }), this.observations(analyses));
      parts.push(el('h3', { textContent: 'Architecture and clusters' }), ...analyses.map((a) => this.architecture(a)));
    }
    this.detailsBox.replaceChildren(...parts);
  }

  private kmeansTable(analyses: AutoencoderAnalysis[]): HTMLElement {
    const row = (name: string, k: AutoencoderAnalysis['kmeans']) => [name, k.purity.toFixed(3), k.nmi.toFixed(3), k.ari.toFixed(3), k.accuracy.toFixed(3), k.inertia.toExponential(3)];
    const rows = analyses.map((a) => row(`${a.latent}-D latents`, a.kmeans));
    // Not the answer: how much digit structure a 2-D UMAP of the latents exposes to K-means.
    for (const a of analyses) if (a.kmeansUmap) rows.push(row(`extra: 2-D UMAP of the ${a.latent}-D latents`, a.kmeansUmap));
    if (this.baseline) rows.unshift(row(`raw pixels (${this.baseline.testImages} images, baseline)`, this.baseline.kmeans));
    return table(['Clustered', 'Purity', 'NMI', 'ARI', 'Accuracy (Hungarian)', 'Inertia'], rows, 'runs kmeans-table');
  }

  private latentPlots(loaded: { run: AutoencoderRun; details?: RunDetails }[]): HTMLElement {
    const figures: HTMLElement[] = [];
    const explorable = loaded.flatMap(({ run, details }) => (details?.points && details.analysis ? [{ runId: run.run.id, latent: run.run.job.config.latent, points: details.points, analysis: details.analysis }] : []));
    this.explorer.setRuns(explorable);
    for (const run of explorable) {
      const { analysis, latent: L } = run;
      const what = analysis.projection.method === 'latent' ? `the ${L}-D latents themselves` : `PCA of the ${L}-D latents (${analysis.projection.explained!.map((e) => `${(100 * e).toFixed(0)}%`).join(' + ')} of the variance)`;
      const axes = projectionAxes(analysis);
      figures.push(this.scatter(run, 'digit', `L=${L}: ${what}${L === 2 ? ', over the decoded manifold' : ''}, coloured by digit`, axes));
      figures.push(this.scatter(run, 'cluster', `L=${L}: the same points coloured by K-means cluster`, axes));
    }
    return el('div', {}, [el('div', { className: 'chart-grid' }, figures), this.explorer.root]);
  }

  private reconstructions(loaded: { run: AutoencoderRun; details?: RunDetails }[]): HTMLElement {
    const withImages = loaded.filter((l) => l.details?.reconstructions?.epochs.length);
    if (!withImages.length) return el('p', { className: 'muted', textContent: 'No reconstruction snapshots yet.' });
    const first = withImages[0].details!.reconstructions!;
    const rows = [
      { label: 'original', images: decodeBase64(first.originals) },
      ...withImages.map(({ run, details }) => {
        const last = details!.reconstructions!.epochs.at(-1)!;
        return { label: `L=${run.run.job.config.latent}, epoch ${last.epoch}`, images: decodeBase64(last.images) };
      }),
    ];
    return digitRows(rows, first.indices.length, 2);
  }

  private observations(analyses: AutoencoderAnalysis[]): HTMLElement {
    const items = [
      ...compareLatents(analyses, this.baseline),
      ...analyses.flatMap((a) => a.observations.map((o) => `L=${a.latent}: ${o}`)),
    ];
    return el('ul', { className: 'observations' }, items.map((text) => el('li', { textContent: text })));
  }

  private architecture(a: AutoencoderAnalysis): HTMLElement {
    const layers = table(['Layer', 'Type', 'Output shape', 'Parameters'], [
      ...a.architecture.layers.map((l) => [l.name, l.type, l.outputShape, l.params.toLocaleString('en')]),
      ['total', '', '', a.architecture.totalParams.toLocaleString('en')],
    ]);
    const contingency = table(['cluster \\ digit', ...Array.from({ length: 10 }, (_, d) => String(d))], a.kmeans.contingency.map((row, c) => [String(c), ...row.map(String)]), 'runs contingency');
    const section = el('vscode-collapsible', { className: 'architecture' }, [layers, contingency]);
    section.setAttribute('heading', `L=${a.latent}: layers, and the cluster × digit table of its K-means`);
    return section;
  }
}

