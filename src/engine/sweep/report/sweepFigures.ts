/**
 * The sweep report's figures: for every swept flag, each figure against that flag's values, one
 * series per latent size, model and value of the other swept flags, with error bars of ±1 sd over seeds.
 */
import { DIGIT_COLORS } from '../../../shared/charts/palette';
import { SweepSeries, sweepFigureChart } from '../../../shared/charts/sweepCharts';
import { axisName } from '../../../shared/experiment/sweep';
import { FigureWriter } from '../../report/figures';
import { SWEEP_METRICS, SweepMetric, SweepResults } from './sweepResults';

export interface SweepFigure {
  flag: string;
  metric: string;
  file: string;
}

/** A file name for a flag: "--b-epochs" → "b-epochs". */
const fileName = (flag: string) => flag.replace(/^--/, '');

/** The rows as series along `flag`: rows that differ only in that flag's value are one series. */
function seriesAlong(results: SweepResults, flag: string, metric: SweepMetric): SweepSeries[] {
  const series = new Map<string, SweepSeries>();
  for (const row of results.rows) {
    const others = results.axes.filter((a) => a.flag !== flag).map((a) => `${axisName(a.flag)} ${row.setting[a.flag]}`);
    const label = [`${row.model} L=${row.latent}`, ...others].join(', ');
    const found = series.get(label) ?? { label, color: '', dashed: row.model === '(a)', points: [] };
    found.points.push({ value: row.setting[flag], mean: row.metrics[metric].mean, sd: row.metrics[metric].sd });
    series.set(label, found);
  }
  return [...series.values()].map((s, i) => ({ ...s, color: DIGIT_COLORS[i % DIGIT_COLORS.length] }));
}

/** Flags whose values are already the table's models: a figure along one would draw each model at one point. */
export const NOT_DRAWN_ALONG = ['--mode'];

export function sweepFigures(figures: FigureWriter, results: SweepResults): SweepFigure[] {
  if (!results.rows.length) return [];
  return results.axes.filter((axis) => !NOT_DRAWN_ALONG.includes(axis.flag)).flatMap((axis) =>
    SWEEP_METRICS.map((metric) => {
      const name = axisName(axis.flag);
      const chart = sweepFigureChart(seriesAlong(results, axis.flag, metric.key), axis.values, name, metric.label);
      const title = `${metric.label} against ${name}: mean ± sd over ${results.seeds.length === 1 ? 'one seed' : `${results.seeds.length} seeds`}`;
      return { flag: axis.flag, metric: metric.label, file: figures.chart(`${fileName(axis.flag)}-${metric.file}.png`, chart, title) };
    }),
  );
}
