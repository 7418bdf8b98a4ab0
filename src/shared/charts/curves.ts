/**
 * Training curves as the workbench's curve charts draw them: each point placed on a step, epoch or
 * wall-time axis, smoothed by TensorBoard's debiased exponential moving average, and written out as the
 * CSV of exactly what a chart draws. Free of the DOM and of chart.js, so it is tested directly.
 */
import { toCsv } from '../csv';
import { z } from '../zod';
import { AutoencoderEpoch, TrainingStep, isAutoencoderStep } from '../../runs/schema';

export const CURVE_AXES = ['step', 'epoch', 'wall'] as const;
export const CurveAxis = z.enum(CURVE_AXES);
export type CurveAxis = z.infer<typeof CurveAxis>;

export const AXIS_TITLES: Record<CurveAxis, string> = { step: 'step', epoch: 'epoch', wall: 'wall time (s, relative)' };

export const MAX_SMOOTHING = 0.99;

/** A chart's toolbar choices, kept with the page's state. */
export const CurveChoices = z.object({
  smoothing: z.number().min(0).max(MAX_SMOOTHING),
  axis: CurveAxis,
  logScale: z.boolean(),
});
export type CurveChoices = z.infer<typeof CurveChoices>;

export const DEFAULT_CHOICES: CurveChoices = { smoothing: 0.6, axis: 'step', logScale: false };

/** A value at a place in training; `seconds` is absent where it is unknown (a live point), which leaves it off the wall-time axis. */
export interface CurvePoint {
  step: number;
  /** Fractional within an epoch: batch b of n in epoch e is at e − 1 + b / n. */
  epoch: number;
  seconds?: number;
  y: number;
}

export interface Curve {
  label: string;
  color: string;
  points: CurvePoint[];
  /** Per-epoch figures: a dot at every point and a dashed line between them. */
  perEpoch?: boolean;
}

/**
 * TensorBoard's smoothing: an exponential moving average with weight `weight` on the past, divided by
 * 1 − weight^n so that the first points are not pulled towards 0. Weight 0 returns the values.
 */
export function emaSmooth(values: readonly number[], weight: number): number[] {
  let last = 0;
  let n = 0;
  return values.map((v) => {
    last = last * weight + (1 - weight) * v;
    n++;
    return last / (1 - weight ** n);
  });
}

/** One curve as a chart draws it on one axis: x, the raw values drawn faint, and the smoothed ones. */
export interface DrawnSeries {
  label: string;
  color: string;
  perEpoch: boolean;
  x: number[];
  raw: number[];
  smoothed: number[];
}

const placeOn = (p: CurvePoint, axis: CurveAxis): number | undefined => (axis === 'step' ? p.step : axis === 'epoch' ? p.epoch : p.seconds);

export function drawnSeries(curves: readonly Curve[], axis: CurveAxis, smoothing: number): DrawnSeries[] {
  return curves.map(({ label, color, points, perEpoch }) => {
    const placed = points.flatMap((p) => {
      const x = placeOn(p, axis);
      return x === undefined ? [] : [{ x, y: p.y }];
    });
    const raw = placed.map((p) => p.y);
    return { label, color, perEpoch: perEpoch ?? false, x: placed.map((p) => p.x), raw, smoothed: emaSmooth(raw, smoothing) };
  });
}

/** The drawn series, one row per point: series, x, raw value, smoothed value. */
export function seriesCsv(series: readonly DrawnSeries[], axis: CurveAxis, yLabel: string): string {
  return toCsv({
    header: ['series', AXIS_TITLES[axis], yLabel, `${yLabel} (smoothed)`],
    rows: series.flatMap((s) => s.x.map((x, i) => [s.label, x, s.raw[i], s.smoothed[i]])),
  });
}

/**
 * An autoencoder's curves from its files: train L1 at every logged step (or, for runs from before the
 * step log, per epoch), and test L1 per epoch at the step and time its epoch ended.
 */
export function autoencoderCurves(metrics: readonly AutoencoderEpoch[], steps: readonly TrainingStep[] | undefined, batchesPerEpoch: number): { train: CurvePoint[]; test: CurvePoint[] } {
  const logged = (steps ?? []).filter(isAutoencoderStep);
  const secondsAt = new Map(logged.map((s) => [s.step, s.seconds]));
  let sum = 0;
  const ends = metrics.map((m) => {
    sum += m.seconds;
    const step = m.epoch * batchesPerEpoch;
    return { step, epoch: m.epoch, seconds: secondsAt.get(step) ?? sum };
  });
  const train = logged.length
    ? logged.map((s) => ({ step: s.step, epoch: s.epoch - 1 + s.batch / batchesPerEpoch, seconds: s.seconds, y: s.l1 }))
    : metrics.map((m, i) => ({ ...ends[i], y: m.trainL1 }));
  return { train, test: metrics.map((m, i) => ({ ...ends[i], y: m.testL1 })) };
}
