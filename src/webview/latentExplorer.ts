/**
 * The latent explorer beside Q2a's scatter plots. For a 2-D latent: the decoder's manifold drawn under
 * the points, and a click on the plane decodes that point. For any latent: a click on a point shows
 * that test image beside its reconstruction and picks it (shift-click picks the second), and two picked
 * test images show the decoded interpolation between their codes. The engine decodes; the page only asks.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { ChartConfiguration, ChartEvent } from 'chart.js';
import { ExploredAnswer, WebviewToHost } from '../extension/views/workbench/protocol';
import { ExploreQuery, ExploreResult, MAX_MANIFOLD_SIDE, extentOf, tileDigits } from '../shared/explore';
import { Manifold, overManifold } from '../shared/charts/manifold';
import { ScatterPoint } from '../shared/charts/q2Charts';
import { LatentPoints } from '../runs/schema';
import { Chart, createChart, onThemeChange } from './charts';
import { DIGIT_SIDE, decodeBase64, digitCanvas, digitRows, inkCanvas } from './digits';
import { el } from './dom';
import { persist, restored } from './viewState';

export interface ExplorableRun {
  runId: string;
  latent: number;
  points: LatentPoints;
}

type Choices = { runId?: string; from?: number; to?: number };

const fmt = (v: number) => v.toFixed(2);

export class LatentExplorer {
  readonly root = el('section', { className: 'latent-explorer' });
  private readonly status = el('p', { className: 'muted' });
  private readonly pointBox = el('div', { className: 'explorer-point' });
  private readonly testBox = el('div', { className: 'explorer-test' });
  private readonly interpolationBox = el('div', { className: 'explorer-interpolation' });
  private readonly fromField = el('vscode-textfield');
  private readonly toField = el('vscode-textfield');
  private choices: Choices = restored('latentExplorer') ?? {};
  private runs: ExplorableRun[] = [];
  private count = 0;
  private readonly pending = new Map<string, (result: ExploreResult) => void>();
  /** Each 2-D run's manifold, decoded once; the chart of its scatter draws it when it arrives. */
  private readonly manifolds = new Map<string, Manifold & { bytes?: Uint8Array; charts: Chart[] }>();

  constructor(private readonly post: (message: WebviewToHost) => void) {
    for (const [field, label] of [[this.fromField, 'first test image #'], [this.toField, 'second test image #']] as const) {
      field.setAttribute('type', 'number');
      field.setAttribute('min', '0');
      field.setAttribute('aria-label', label);
      field.setAttribute('placeholder', label);
    }
    this.fromField.value = this.choices.from === undefined ? '' : String(this.choices.from);
    this.toField.value = this.choices.to === undefined ? '' : String(this.choices.to);
    const interpolate = el('vscode-button', { textContent: 'Interpolate' });
    interpolate.addEventListener('click', () => this.interpolateFields());
    this.root.append(
      el('h3', { textContent: 'Latent explorer' }),
      el('p', {
        className: 'muted',
        textContent: 'Click a point: its test image and reconstruction, and the first digit to interpolate from (shift-click: the second). On a 2-D latent, a click anywhere on the plane decodes that point.',
      }),
      this.status,
      el('div', { className: 'explorer-panes' }, [this.pointBox, this.testBox]),
      el('div', { className: 'toolbar explorer-picks' }, [el('span', { textContent: 'Interpolate from' }), this.fromField, el('span', { textContent: 'to' }), this.toField, interpolate]),
      this.interpolationBox,
    );
    onThemeChange(() => {
      for (const m of this.manifolds.values()) if (m.bytes) this.paint(m);
    });
  }

  /** The runs whose scatters are shown; the chosen one stays chosen while it is among them. */
  setRuns(runs: ExplorableRun[]): void {
    this.runs = runs;
    for (const m of this.manifolds.values()) m.charts = [];
    if (!runs.some((r) => r.runId === this.choices.runId)) this.choose(runs[0]?.runId);
    this.root.hidden = runs.length === 0;
    this.showStatus();
    // The picks kept from before a reload are shown again.
    if (!this.interpolationBox.childElementCount) this.interpolate();
  }

  /** A scatter of `run`'s points that answers clicks, over the decoded manifold when it is 2-D and coloured by digit. */
  chart(canvas: HTMLCanvasElement, config: ChartConfiguration<'scatter', ScatterPoint[]>, run: ExplorableRun, withManifold: boolean): Chart {
    const manifold = withManifold && run.latent === 2 ? this.manifoldOf(run) : undefined;
    const shown = manifold ? overManifold(config, manifold) : config;
    shown.options = { ...shown.options, onClick: (event, _elements, chart) => this.clicked(run, chart, event) };
    const chart = createChart(canvas, shown as unknown as ChartConfiguration);
    if (manifold) {
      manifold.charts.push(chart);
      if (manifold.image) canvas.dataset.manifold = 'drawn';
    }
    return chart;
  }

  /** Takes the answer to one of this explorer's requests. */
  answer(message: ExploredAnswer): void {
    const take = this.pending.get(message.requestId);
    if (!take) return;
    this.pending.delete(message.requestId);
    if (message.answer.ok) take(message.answer.result);
    else this.showStatus(message.answer.error);
  }

  private ask(runId: string, query: ExploreQuery, take: (result: ExploreResult) => void): void {
    const requestId = `explore-${++this.count}`;
    this.pending.set(requestId, take);
    this.post({ type: 'explore', requestId, runId, query });
  }

  private manifoldOf(run: ExplorableRun): Manifold & { charts: Chart[] } {
    let m = this.manifolds.get(run.runId);
    if (!m) {
      const created = { ...extentOf(run.points.xy), charts: [] as Chart[] };
      m = created;
      this.manifolds.set(run.runId, created);
      this.ask(run.runId, { kind: 'manifold', n: MAX_MANIFOLD_SIDE, x: created.x, y: created.y }, (result) => {
        Object.assign(created, { bytes: tileDigits(decodeBase64(result.images), MAX_MANIFOLD_SIDE) });
        this.paint(created);
      });
    }
    return m;
  }

  /** (Re)draws a manifold's tiles in the theme's colours, and the charts it lies under. */
  private paint(m: Manifold & { bytes?: Uint8Array; charts: Chart[] }): void {
    m.image = inkCanvas(m.bytes!, DIGIT_SIDE * MAX_MANIFOLD_SIDE);
    for (const chart of m.charts) {
      chart.update();
      chart.canvas.dataset.manifold = 'drawn';
    }
  }

  private clicked(run: ExplorableRun, chart: Chart, event: ChartEvent): void {
    this.choose(run.runId);
    const hit = chart.getElementsAtEventForMode(event.native!, 'nearest', { intersect: true }, false)[0];
    if (hit) {
      const i = (chart.data.datasets[hit.datasetIndex].data[hit.index] as unknown as ScatterPoint).i;
      this.pick((event.native as MouseEvent | null)?.shiftKey ? 'to' : 'from', i);
      this.reconstruct(run, i);
    } else if (run.latent === 2 && event.x !== null && event.y !== null) {
      const z = [chart.scales.x.getValueForPixel(event.x)!, chart.scales.y.getValueForPixel(event.y)!];
      this.ask(run.runId, { kind: 'decode', codes: [z] }, (result) => {
        this.pointBox.replaceChildren(
          el('div', { className: 'digit-row-label', textContent: `decoded at z = (${fmt(z[0])}, ${fmt(z[1])})` }),
          digitCanvas(decodeBase64(result.images), 0, 5),
        );
        this.showStatus();
      });
    }
  }

  private reconstruct(run: ExplorableRun, index: number): void {
    this.ask(run.runId, { kind: 'reconstruct', index }, (result) => {
      const code = result.codes[0];
      const images = decodeBase64(result.images);
      this.testBox.replaceChildren(
        el('div', { className: 'digit-row-label', textContent: `test image #${index} (digit ${run.points.labels[index]})${code.length === 2 ? ` at z = (${fmt(code[0])}, ${fmt(code[1])})` : ''}: original and reconstruction` }),
        el('div', { className: 'digit-row' }, [digitCanvas(images, 0, 4), digitCanvas(images, 1, 4)]),
      );
      this.showStatus();
    });
  }

  private pick(end: 'from' | 'to', index: number): void {
    (end === 'from' ? this.fromField : this.toField).value = String(index);
    this.save({ ...this.choices, [end]: index });
    if (this.choices.from !== undefined && this.choices.to !== undefined) this.interpolate();
  }

  private interpolateFields(): void {
    const read = (field: HTMLElement & { value: string }) => (/^\d+$/.test(field.value.trim()) ? Number(field.value) : undefined);
    const [from, to] = [read(this.fromField), read(this.toField)];
    if (from === undefined || to === undefined) return this.showStatus('Give two test image numbers (whole numbers from 0), or click a point and shift-click another.');
    this.save({ ...this.choices, from, to });
    this.interpolate();
  }

  private interpolate(): void {
    const { runId, from, to } = this.choices;
    const run = this.runs.find((r) => r.runId === runId);
    if (!run || from === undefined || to === undefined) return;
    this.ask(run.runId, { kind: 'interpolate', from, to }, (result) => {
      this.interpolationBox.replaceChildren(
        digitRows([{ label: `#${from} (digit ${run.points.labels[from] ?? '?'}) → #${to} (digit ${run.points.labels[to] ?? '?'})`, images: decodeBase64(result.images) }], result.count, 3),
      );
      this.showStatus();
    });
  }

  private choose(runId: string | undefined): void {
    if (runId !== this.choices.runId) this.save({ ...this.choices, runId });
  }

  private save(choices: Choices): void {
    this.choices = choices;
    persist('latentExplorer', choices);
  }

  private showStatus(error?: string): void {
    const run = this.runs.find((r) => r.runId === this.choices.runId);
    this.status.className = error ? 'form-error' : 'muted';
    this.status.textContent = error ?? (run ? `Exploring the L=${run.latent} run ${run.runId}.` : '');
  }
}
