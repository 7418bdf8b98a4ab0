/**
 * The sweep report's figures: for every swept flag, and for the latent size when the tasks train
 * several, each figure against its values, with error bars of ±1 sd over seeds; one series per
 * model and value of everything else (the latent size, the other swept flags).
 */
import { DIGIT_COLORS } from '../../../shared/charts/palette';
import { SweepSeries, sweepFigureChart } from '../../../shared/charts/sweepCharts';
import { axisName } from '../../../shared/experiment/sweep';
import { FigureWriter } from '../../report/figures';
import { SWEEP_METRICS, SweepMetric, SweepResults, SweepRow } from './sweepResults';

export interface SweepFigure {
  /** The flag it is drawn along, and that flag in words. */
  flag: string;
  name: string;
  metric: string;
  file: string;
}

/** What a figure is drawn along: a row's value of it, and the rest of the row, which names its series. */
interface Dimension {
  flag: string;
  name: string;
  values: string[];
  valueOf(row: SweepRow): string;
  seriesOf(row: SweepRow): string;
}

/** Flags whose values are already the table's models: a figure along one would draw each model at one point. */
const NOT_DRAWN_ALONG = ['--mode'];

/** The swept flags that change (a): along the others (λ, say) every setting's (a) is the same run. */
function flagsOfA(results: SweepResults): Set<string> {
  const aRuns = results.runs.filter((r) => r.model === '(a)');
  const changesA = (flag: string) => {
    const runsByRest = new Map<string, Set<string>>();
    for (const r of aRuns) {
      const rest = JSON.stringify([r.seed, r.latent, ...results.axes.filter((a) => a.flag !== flag).map((a) => r.setting[a.flag])]);
      runsByRest.set(rest, (runsByRest.get(rest) ?? new Set()).add(r.runId));
    }
    return [...runsByRest.values()].some((ids) => ids.size > 1);
  };
  return new Set(results.axes.map((a) => a.flag).filter(changesA));
}

function dimensions(results: SweepResults): Dimension[] {
  const ofA = flagsOfA(results);
  // An (a) series is named by the flags that change (a) alone: one (a) line, not one per λ.
  const settingOf = (row: SweepRow, except?: string) =>
    results.axes.filter((a) => a.flag !== except && (row.model !== '(a)' || ofA.has(a.flag))).map((a) => `${axisName(a.flag)} ${row.setting[a.flag]}`);
  const flags = results.axes
    .filter((axis) => !NOT_DRAWN_ALONG.includes(axis.flag))
    .map((axis): Dimension => ({ flag: axis.flag, name: axisName(axis.flag), values: axis.values, valueOf: (row) => row.setting[axis.flag], seriesOf: (row) => [`${row.model} L=${row.latent}`, ...settingOf(row, axis.flag)].join(', ') }));
  // --latent 2,16,256 trains every size in each task: the sizes are a setting to draw along too.
  const latents = [...new Set(results.rows.map((r) => r.latent))].sort((a, b) => a - b);
  const latent: Dimension = { flag: '--latent', name: 'latent size', values: latents.map(String), valueOf: (row) => String(row.latent), seriesOf: (row) => [row.model, ...settingOf(row)].join(', ') };
  return latents.length > 1 ? [...flags, latent] : flags;
}

/** The rows as series along `dimension`: rows that differ only in their value of it are one series. */
function seriesAlong(results: SweepResults, dimension: Dimension, metric: SweepMetric): SweepSeries[] {
  const series = new Map<string, SweepSeries>();
  for (const row of results.rows) {
    const label = dimension.seriesOf(row);
    const found = series.get(label) ?? { label, color: '', dashed: row.model === '(a)', points: [] };
    const value = dimension.valueOf(row);
    // The same (a) comes again in each setting it is shared by: drawn once.
    if (!found.points.some((p) => p.value === value)) found.points.push({ value, mean: row.metrics[metric].mean, sd: row.metrics[metric].sd });
    series.set(label, found);
  }
  return [...series.values()].map((s, i) => ({ ...s, color: DIGIT_COLORS[i % DIGIT_COLORS.length] }));
}

/** What each figure draws: along which flag, which figure, and its series. */
export function sweepFigureSpecs(results: SweepResults) {
  if (!results.rows.length) return [];
  return dimensions(results).flatMap((dimension) => SWEEP_METRICS.map((metric) => ({ dimension, metric, series: seriesAlong(results, dimension, metric.key) })));
}

export function sweepFigures(figures: FigureWriter, results: SweepResults): SweepFigure[] {
  const over = results.seeds.length === 1 ? 'one seed' : `${results.seeds.length} seeds`;
  return sweepFigureSpecs(results).map(({ dimension, metric, series }) => {
    const chart = sweepFigureChart(series, dimension.values, dimension.name, metric.label);
    const file = figures.chart(`${dimension.flag.replace(/^--/, '')}-${metric.file}.png`, chart, `${metric.label} against ${dimension.name}: mean ± sd over ${over}`);
    return { flag: dimension.flag, name: dimension.name, metric: metric.label, file };
  });
}
