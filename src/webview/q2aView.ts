/**
 * The Q2a tab: the autoencoder runs, their loss curves (live while training), the architecture,
 * K-means figures against the raw-pixel baseline, the 2-D latent views coloured by digit and by cluster,
 * reconstructions, and observations. Charts show the newest run of each latent size unless the
 * student ticks other runs in the table.
 */
import type { ChartConfiguration } from 'chart.js';
import { AutoencoderAnalysis, LatentPoints, PixelBaseline, RunDetails, RunListItem, isAutoencoderEpoch } from '../runs/schema';
import { RunDetailsAnswer, WebviewToHost } from '../extension/views/workbench/protocol';
import { fixed } from '../shared/format';
import { compareLatents } from '../shared/q2a/compare';
import { DIGIT_COLORS } from '../shared/charts/palette';
import { ScatterPoint, l1CurvesChart, latentScatterChart, projectionAxes } from '../shared/charts/q2Charts';
import { Chart, createChart } from './charts';
import { decodeBase64, digitRows } from './digits';
import { el, table } from './dom';
import { collapseWarnings, runStatus } from './runStatus';
import { RunDetailsRequests } from './runDetailsRequests';

type AutoencoderRun = Extract<RunListItem, { ok: true }> & { run: { job: { kind: 'trainAutoencoder' } } };


/** Q2a's runs: autoencoders trained with L1 alone (the sharpened ones belong to Q2b). */
function isAutoencoder(item: RunListItem): item is AutoencoderRun {
  return item.ok && item.run.job.kind === 'trainAutoencoder' && !item.run.job.config.adversarial;
}

/** A key that changes whenever a run's files may have changed, so details are re-read only then. */
function versionOf(item: AutoencoderRun): string {
  return `${item.run.status}:${item.metrics.length}:${item.run.endedAt ?? ''}`;
}

export class Q2aView {
  readonly root = el('section', { className: 'q2a' });
  private readonly runsBox = el('div');
  private readonly detailsBox = el('div');
  private readonly lossCanvas = el('canvas');
  private readonly lossChart: Chart;
  private readonly logScale = el('vscode-button', { textContent: 'Log scale' });
  private runs: AutoencoderRun[] = [];
  private chosen?: Set<string>;
  private readonly details = new Map<string, { version: string; details: RunDetails }>();
  private readonly requested = new Map<string, string>();
  private readonly requests: RunDetailsRequests;
  private baseline?: PixelBaseline;
  private scatterCharts: Chart[] = [];
  /** Which runs the details section was drawn for: redrawing 10,000-point scatters is not free. */
  private detailsDrawnFor = '';

  constructor(post: (message: WebviewToHost) => void, header: HTMLElement) {
    this.requests = new RunDetailsRequests('q2a', post);
    this.logScale.setAttribute('secondary', '');
    this.logScale.addEventListener('click', () => {
      const scale = this.lossChart.options.scales!.y!;
      scale.type = scale.type === 'logarithmic' ? 'linear' : 'logarithmic';
      this.logScale.textContent = scale.type === 'logarithmic' ? 'Linear scale' : 'Log scale';
      this.lossChart.update();
    });
    this.root.append(
      header,
      this.runsBox,
      el('figure', { className: 'chart' }, [
        el('figcaption', {}, [el('span', { textContent: 'L1 per epoch: test (solid) and train (dashed) ' }), this.logScale]),
        el('div', { className: 'chart-box' }, [this.lossCanvas]),
      ]),
      this.detailsBox,
    );
    this.lossChart = createChart(this.lossCanvas, l1CurvesChart([], true));
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
    this.renderTable(items.filter((i): i is Extract<RunListItem, { ok: false }> => !i.ok));
    this.drawLoss();
    const stale = this.shown().filter((r) => this.details.get(r.run.id)?.version !== versionOf(r) && this.requested.get(r.run.id) !== versionOf(r));
    for (const r of stale) this.requested.set(r.run.id, versionOf(r));
    if (stale.length) this.requests.load(stale.map((r) => r.run.id));
    // New details arrive through setDetails; here only a change of the shown runs needs a redraw.
    if (this.shown().map((r) => r.run.id).join() !== this.detailsDrawnFor) this.renderDetails();
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
    this.renderDetails();
  }

  private renderTable(damaged: Extract<RunListItem, { ok: false }>[]): void {
    if (!this.runs.length && !damaged.length) {
      this.runsBox.replaceChildren(
        el('p', { className: 'muted', textContent: 'No autoencoder runs yet. “Assignment2: Train Autoencoder” trains one run per latent size (2, 16, 256) with L1 loss; its curves and figures appear here as it trains.' }),
      );
      return;
    }
    const shownIds = new Set(this.shown().map((r) => r.run.id));
    const header = ['Show', 'Run', 'Status', 'Arch.', 'Latent', 'Epochs', 'Train L1', 'Test L1', 'Sharpness', 'K-means acc.', 'NMI', 's / epoch', 'Backend'];
    const rows = this.runs.map((item) => {
      const { run } = item;
      const metrics = item.metrics.filter(isAutoencoderEpoch);
      const last = metrics.at(-1);
      const summary = run.summary?.kind === 'training' ? run.summary : undefined;
      const perEpoch = metrics.length ? metrics.reduce((s, m) => s + m.seconds, 0) / metrics.length : undefined;
      const box = el('input', { type: 'checkbox', checked: shownIds.has(run.id), title: 'Show in the charts below' });
      box.setAttribute('aria-label', `Show ${run.name} in the charts`);
      box.addEventListener('change', () => {
        this.chosen ??= new Set(shownIds);
        if (box.checked) this.chosen.add(run.id);
        else this.chosen.delete(run.id);
        this.setRuns([...this.runs, ...damaged]);
      });
      return [box, el('span', { textContent: run.name, title: run.id }), runStatus(item), run.job.config.architecture, String(run.job.config.latent), `${metrics.length} / ${run.job.config.epochs}`,
        fixed(last?.trainL1, 4), fixed(last?.testL1, 4), fixed(summary?.sharpnessRatio, 2), fixed(summary?.kmeansAccuracy, 3), fixed(summary?.kmeansNmi, 3), fixed(perEpoch, 1), run.backend ?? '—'] as (string | Node)[];
    });
    const damagedRows = damaged.map((d) => ['', d.id, 'damaged', d.problem, '', '', '', '', '', '', '', '', '']);
    const runsTable = table(header, [...rows, ...damagedRows], 'runs q2a-runs');
    runsTable.querySelectorAll('tbody tr').forEach((tr, i) => i >= rows.length && tr.classList.add('damaged'));
    this.runsBox.replaceChildren(...collapseWarnings(this.runs), runsTable);
  }

  private drawLoss(): void {
    const series = this.shown().map((r, i) => ({ label: `L=${r.run.job.config.latent}`, color: DIGIT_COLORS[i % DIGIT_COLORS.length], metrics: r.metrics.filter(isAutoencoderEpoch) }));
    // Only the data changes: the axes keep the student's log/linear choice.
    this.lossChart.data = l1CurvesChart(series, true).data;
    this.lossChart.update();
  }

  private scatter(points: LatentPoints, colourBy: 'digit' | 'cluster', title: string, axes: [string, string]): HTMLElement {
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
    const chart = createChart(canvas, config as unknown as ChartConfiguration);
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
    for (const { run, details } of loaded) {
      const points = details?.points;
      const analysis = details?.analysis;
      if (!points || !analysis) continue;
      const L = run.run.job.config.latent;
      const what = analysis.projection.method === 'latent' ? `the ${L}-D latents themselves` : `PCA of the ${L}-D latents (${analysis.projection.explained!.map((e) => `${(100 * e).toFixed(0)}%`).join(' + ')} of the variance)`;
      const axes = projectionAxes(analysis);
      figures.push(this.scatter(points, 'digit', `L=${L}: ${what}, coloured by digit`, axes));
      figures.push(this.scatter(points, 'cluster', `L=${L}: the same points coloured by K-means cluster`, axes));
    }
    return el('div', { className: 'chart-grid' }, figures);
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
    return el('details', {}, [el('summary', { textContent: `L=${a.latent}: layers, and the cluster × digit table of its K-means` }), layers, contingency]);
  }
}

