/**
 * The Q2 charts, drawn the same in the workbench and in the exported report: L1 curves per epoch,
 * latent scatters coloured by digit or by K-means cluster, and dis_net's training curve.
 */
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { AutoencoderAnalysis, AutoencoderEpoch, DisNetEpoch, LatentPoints } from '../../runs/schema';
import { ChartPalette, DIGIT_COLORS } from './palette';

const axis = (text: string) => ({ type: 'linear' as const, title: { display: true, text } });
const epochAxis = { ...axis('epoch'), ticks: { precision: 0 } };

export interface CurveSeries {
  label: string;
  color: string;
  metrics: AutoencoderEpoch[];
}

/** Test L1 per epoch (solid) for each series, and train L1 (dashed) when `withTrain`. */
export function l1CurvesChart(series: CurveSeries[], withTrain: boolean, yLabel = 'L1'): ChartConfiguration<'line'> {
  const datasets: ChartDataset<'line', { x: number; y: number }[]>[] = series.flatMap(({ label, color, metrics }) => [
    { label: withTrain ? `${label} test` : label, data: metrics.map((m) => ({ x: m.epoch, y: m.testL1 })), borderColor: color, backgroundColor: color, pointRadius: 3 },
    ...(withTrain
      ? [{ label: `${label} train`, data: metrics.map((m) => ({ x: m.epoch, y: m.trainL1 })), borderColor: color, backgroundColor: color, borderDash: [5, 4], pointRadius: 2 }]
      : []),
  ]);
  return { type: 'line', data: { datasets }, options: { scales: { x: epochAxis, y: axis(yLabel) } } };
}

/** A test point of a latent scatter; `i` is its index among the test images. */
export interface ScatterPoint {
  x: number;
  y: number;
  i: number;
}

/** The 2-D latents (or their PCA projection), one colour per digit or per K-means cluster. */
export function latentScatterChart(points: LatentPoints, colourBy: 'digit' | 'cluster', xLabel: string, yLabel: string): ChartConfiguration<'scatter', ScatterPoint[]> {
  const groupOf = colourBy === 'digit' ? points.labels : points.clusters;
  const groups = Array.from({ length: 10 }, () => [] as ScatterPoint[]);
  groupOf.forEach((group, i) => groups[group % 10].push({ x: points.xy[2 * i], y: points.xy[2 * i + 1], i }));
  return {
    type: 'scatter',
    data: {
      datasets: groups.map((data, g) => ({ label: `${colourBy} ${g}`, data, backgroundColor: DIGIT_COLORS[g], borderWidth: 0, pointRadius: 1.6, pointHoverRadius: 4 })),
    },
    options: { scales: { x: axis(xLabel), y: axis(yLabel) } },
  };
}

/** dis_net: mean training cross-entropy and test accuracy per epoch, on two axes. */
export function disNetChart(metrics: DisNetEpoch[], p: ChartPalette): ChartConfiguration<'line'> {
  return {
    type: 'line',
    data: {
      datasets: [
        { label: 'train cross-entropy', data: metrics.map((m) => ({ x: m.epoch, y: m.trainLoss })), borderColor: p.blue, backgroundColor: p.blue, yAxisID: 'y', pointRadius: 3 },
        { label: 'test accuracy', data: metrics.map((m) => ({ x: m.epoch, y: m.testAccuracy })), borderColor: p.orange, backgroundColor: p.orange, yAxisID: 'accuracy', pointRadius: 3 },
      ],
    },
    options: {
      scales: {
        x: epochAxis,
        y: { ...axis('cross-entropy'), position: 'left' },
        accuracy: { ...axis('accuracy'), position: 'right', max: 1, grid: { drawOnChartArea: false } },
      },
    },
  };
}

/** Axis titles of a latent scatter: the latent coordinates themselves, or the first two principal components. */
export function projectionAxes(analysis: Pick<AutoencoderAnalysis, 'projection'>): [string, string] {
  if (analysis.projection.method === 'latent') return ['z₁', 'z₂'];
  const [a, b] = analysis.projection.explained ?? [NaN, NaN];
  const share = (e: number) => (Number.isFinite(e) ? ` (${(100 * e).toFixed(0)}% of variance)` : '');
  return [`PC 1${share(a)}`, `PC 2${share(b)}`];
}
