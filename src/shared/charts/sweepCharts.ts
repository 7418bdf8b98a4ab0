/**
 * A figure against a swept setting: each series' mean over the seeds at every value of the setting,
 * with ±1 standard deviation as error bars. Numeric settings get a numeric axis (logarithmic when
 * they span a factor of 10 or more, as λ usually does); others are placed evenly, by name.
 */
import type { ChartConfiguration, ChartDataset } from 'chart.js';

export interface SweepPoint {
  /** The setting's value, as given on the command line. */
  value: string;
  mean: number;
  sd: number;
}

export interface SweepSeries {
  label: string;
  color: string;
  /** Drawn dashed: a reference (the (a) each (b) started from), not the thing swept. */
  dashed?: boolean;
  points: SweepPoint[];
}

type Point = { x: number; y: number; sd: number };

/** Where each value goes on the x axis, and how the axis reads. */
function xAxisOf(values: string[], title: string) {
  const numbers = values.map(Number);
  if (values.every((v) => v.trim() !== '') && numbers.every(Number.isFinite)) {
    const [lo, hi] = [Math.min(...numbers), Math.max(...numbers)];
    const logarithmic = lo > 0 && hi / lo >= 10;
    // A margin on either side, so the first and last error bars are drawn whole.
    const [min, max] = logarithmic ? [lo / 1.25, hi * 1.25] : [lo - 0.05 * (hi - lo || 1), hi + 0.05 * (hi - lo || 1)];
    return {
      place: (v: string) => Number(v),
      scale: {
        type: logarithmic ? ('logarithmic' as const) : ('linear' as const),
        min,
        max,
        title: { display: true, text: title },
        // Ticks at the swept values alone, written as given: the values are the sweep's, the rest is empty space.
        afterBuildTicks: (scale: { ticks: { value: number }[] }) => {
          scale.ticks = numbers.map((value) => ({ value }));
        },
        ticks: { callback: (tick: number | string) => values[numbers.indexOf(Number(tick))] ?? '' },
      },
    };
  }
  return {
    place: (v: string) => values.indexOf(v),
    scale: {
      type: 'linear' as const,
      min: -0.5,
      max: values.length - 0.5,
      title: { display: true, text: title },
      ticks: { stepSize: 1, callback: (tick: number | string) => values[Number(tick)] ?? '' },
    },
  };
}

export function sweepFigureChart(series: SweepSeries[], values: string[], xTitle: string, yTitle: string): ChartConfiguration<'line', Point[]> {
  const x = xAxisOf(values, xTitle);
  const datasets: ChartDataset<'line', Point[]>[] = series.map((s) => ({
    label: s.label,
    data: s.points.map((p) => ({ x: x.place(p.value), y: p.mean, sd: p.sd })).sort((a, b) => a.x - b.x),
    borderColor: s.color,
    backgroundColor: s.color,
    borderDash: s.dashed ? [6, 4] : undefined,
    pointRadius: 4,
    errorBars: true,
  }));
  // The axis takes in the error bars, which Chart.js's own bounds (the means) would cut off.
  const ends = series.flatMap((s) => s.points.flatMap((p) => [p.mean - p.sd, p.mean + p.sd]));
  const y = { type: 'linear' as const, title: { display: true, text: yTitle }, suggestedMin: Math.min(...ends), suggestedMax: Math.max(...ends) };
  return { type: 'line', data: { datasets }, options: { scales: { x: x.scale, y } } };
}
