/**
 * A training-curve chart with its toolbar, used for every curve of the workbench: smoothing by a
 * debiased moving average (the raw series drawn faint behind the smoothed one), a step / epoch /
 * wall-time axis, log scale, zoom and pan, and "Save as PNG" / "Save as CSV" through the host (the
 * page cannot write files). Each chart's choices are kept with the page's state under its key.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import zoomPlugin from 'chartjs-plugin-zoom';
import { WebviewToHost } from '../extension/views/workbench/protocol';
import { AXIS_TITLES, CURVE_AXES, Curve, CurveAxis, CurveChoices, DEFAULT_CHOICES, DrawnSeries, MAX_SMOOTHING, drawnSeries, seriesCsv } from '../shared/charts/curves';
import { Chart as ChartJs } from '../shared/charts/setup';
import { Chart, createChart } from './charts';
import { button, el, setOptions } from './dom';
import { persist, restored } from './viewState';

// Only the page zooms: the headless report shares the chart setup and has no pointer to zoom with.
ChartJs.register(zoomPlugin);

const AXIS_LABELS: Record<CurveAxis, string> = { step: 'Step', epoch: 'Epoch', wall: 'Wall time' };

export interface CurveChartOptions {
  /** Its key in the page's state, and the name its saved files are offered under. */
  key: string;
  caption: string;
  yLabel: string;
  post(message: WebviewToHost): void;
}

/** The faint twin of a series colour (#rrggbb gets an alpha; anything else is drawn thinner only). */
function faint(color: string): string {
  return /^#[0-9a-f]{6}$/i.test(color) ? `${color}55` : color;
}

type LineDataset = ChartDataset<'line', { x: number; y: number }[]>;

/** Raw first, smoothed on top: datasets come in pairs, the smoothed one at each odd index. */
function datasetsOf(s: DrawnSeries): LineDataset[] {
  const points = (values: number[]) => s.x.map((x, i) => ({ x, y: values[i] }));
  const line = { borderDash: s.perEpoch ? [5, 4] : undefined, pointRadius: s.perEpoch ? 3 : 0 };
  return [
    { ...line, label: `${s.label} (raw)`, data: points(s.raw), borderColor: faint(s.color), backgroundColor: faint(s.color), borderWidth: 1 },
    { ...line, label: s.label, data: points(s.smoothed), borderColor: s.color, backgroundColor: s.color, borderWidth: 2 },
  ];
}

/** A short fingerprint of numbers (FNV-1a over their text), so a test can tell that the drawn series changed. */
function digest(values: number[]): string {
  let hash = 0x811c9dc5;
  for (const ch of values.join(',')) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return hash.toString(16);
}

export class CurveChart {
  readonly root: HTMLElement;
  private readonly chart: Chart;
  private choices: CurveChoices;
  private curves: Curve[] = [];
  private drawn: DrawnSeries[] = [];
  private frame?: number;

  constructor(private readonly options: CurveChartOptions) {
    this.choices = restored('charts')?.[options.key] ?? DEFAULT_CHOICES;
    const canvas = el('canvas');
    this.root = el('figure', { className: 'chart curve-chart' }, [el('figcaption', { textContent: options.caption }), this.toolbar(), el('div', { className: 'chart-box' }, [canvas])]);
    this.root.dataset.chart = options.key;
    this.chart = createChart(canvas, this.configuration());
  }

  /** New data (the axes and any zoom stay); redrawn once per frame however often it comes. */
  setCurves(curves: Curve[]): void {
    this.curves = curves;
    this.frame ??= requestAnimationFrame(() => {
      this.frame = undefined;
      this.draw();
    });
  }

  private configuration(): ChartConfiguration {
    return {
      type: 'line',
      data: { datasets: [] },
      options: {
        scales: this.scales(),
        plugins: {
          legend: { labels: { filter: (item) => (item.datasetIndex ?? 0) % 2 === 1 } },
          tooltip: { filter: (item) => item.datasetIndex % 2 === 1 },
          zoom: {
            zoom: { wheel: { enabled: true, modifierKey: 'ctrl' }, drag: { enabled: true }, mode: 'xy' },
            pan: { enabled: true, modifierKey: 'shift', mode: 'xy' },
          },
        },
      },
    };
  }

  private scales() {
    return {
      x: { type: 'linear' as const, title: { display: true, text: AXIS_TITLES[this.choices.axis] } },
      y: { type: this.choices.logScale ? ('logarithmic' as const) : ('linear' as const), title: { display: true, text: this.options.yLabel } },
    };
  }

  private draw(): void {
    this.drawn = drawnSeries(this.curves, this.choices.axis, this.choices.smoothing);
    this.chart.data = { datasets: this.drawn.flatMap(datasetsOf) };
    this.chart.update();
    // What chart.js now holds and draws, for the end-to-end test: the smoothed values and the x-axis title.
    const smoothed = this.chart.data.datasets.filter((_, i) => i % 2 === 1).flatMap((d) => (d.data as { y: number }[]).map((p) => p.y));
    this.root.dataset.drawn = digest(smoothed);
    this.root.dataset.points = String(smoothed.length);
    this.root.dataset.xTitle = String((this.chart.scales.x?.options as { title?: { text?: unknown } } | undefined)?.title?.text ?? '');
  }

  /** A change of axis or scale: the zoom is of the old axes, so it goes. */
  private choose(change: Partial<CurveChoices>, rescale: boolean): void {
    this.choices = { ...this.choices, ...change };
    persist('charts', { ...restored('charts'), [this.options.key]: this.choices });
    if (rescale) {
      this.chart.resetZoom('none');
      this.chart.options.scales = this.scales();
    }
    this.draw();
  }

  private toolbar(): HTMLElement {
    const slider = el('input', { type: 'range', min: '0', max: String(MAX_SMOOTHING), step: '0.01', value: String(this.choices.smoothing), className: 'step-slider' });
    slider.setAttribute('aria-label', 'Smoothing');
    const shown = el('span', { className: 'curve-smoothing-value', textContent: this.choices.smoothing.toFixed(2) });
    slider.addEventListener('input', () => {
      shown.textContent = Number(slider.value).toFixed(2);
      this.choose({ smoothing: Number(slider.value) }, false);
    });

    const axis = el('vscode-single-select', { className: 'curve-axis' }) as HTMLElement & { value: string };
    axis.setAttribute('aria-label', 'x-axis');
    setOptions(axis, CURVE_AXES.map((a) => ({ value: a, label: AXIS_LABELS[a] })), this.choices.axis);
    axis.addEventListener('change', () => this.choose({ axis: axis.value as CurveAxis }, true));

    const log = el('vscode-checkbox', { className: 'curve-log', label: 'Log scale' }) as HTMLElement & { checked: boolean };
    log.checked = this.choices.logScale;
    log.addEventListener('change', () => this.choose({ logScale: log.checked }, true));

    return el('div', { className: 'curve-toolbar' }, [
      el('label', { className: 'curve-smoothing' }, [el('span', { textContent: 'Smoothing' }), slider, shown]),
      el('label', {}, [el('span', { textContent: 'x-axis ' }), axis]),
      log,
      button('Reset zoom', () => this.chart.resetZoom(), { secondary: true, title: 'Drag a box or Ctrl + wheel to zoom; Shift + drag to pan' }),
      button('Save as PNG', () => this.savePng(), { secondary: true, title: 'Save this chart as it is drawn' }),
      button('Save as CSV', () => this.saveCsv(), { secondary: true, title: 'Save the series drawn: raw and smoothed values' }),
    ]);
  }

  /** The chart on the editor's background, so the image reads outside VS Code too. */
  private savePng(): void {
    const canvas = this.chart.canvas;
    const out = el('canvas', { width: canvas.width, height: canvas.height });
    const ctx = out.getContext('2d')!;
    ctx.fillStyle = getComputedStyle(document.body).getPropertyValue('--vscode-editor-background').trim() || '#1e1e1e';
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(canvas, 0, 0);
    this.options.post({ type: 'saveChart', name: this.options.key, file: { kind: 'png', dataUrl: out.toDataURL('image/png') } });
  }

  private saveCsv(): void {
    this.options.post({ type: 'saveChart', name: this.options.key, file: { kind: 'csv', text: seriesCsv(this.drawn, this.choices.axis, this.options.yLabel) } });
  }
}
