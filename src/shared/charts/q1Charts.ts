/**
 * The Q1 charts, drawn the same in the workbench and in the exported report: the landscape with each
 * optimizer's steps on it, x_t over the steps, and the two sweeps (over h and over the learning rate).
 */
import type { ChartConfiguration } from 'chart.js';
import { num } from '../q1/answer';
import { buildLandscape } from '../q1/landscape';
import { OPTIMIZER_LABELS, OPTIMIZER_NAMES, OptimizerName } from '../q1/optimizers';
import type { Q1Study } from '../q1/studyTypes';
import { ChartPalette, optimizerColor } from './palette';

/** Shown by default; momentum SGD and RMSProp start hidden (click the legend to show them). */
export const PRIMARY_OPTIMIZERS: OptimizerName[] = ['gd', 'adam'];
const hidden = (n: OptimizerName) => !PRIMARY_OPTIMIZERS.includes(n);
const axis = (text: string) => ({ type: 'linear' as const, title: { display: true, text } });

/** f(x) with the first `upTo` steps of every optimizer on it (all steps when absent). */
export function q1LandscapeChart(study: Q1Study, p: ChartPalette, upTo = Infinity): ChartConfiguration<'scatter'> {
  const land = buildLandscape(study.params.landscape);
  const shown = OPTIMIZER_NAMES.map((n) => study.runs[n].x.slice(0, upTo + 1));
  const xs = shown.filter((_, i) => !hidden(OPTIMIZER_NAMES[i])).flat();
  const left = Math.min(study.params.landscape.start, ...xs) - 0.2;
  const right = Math.min(Math.max(land.bumpEnd + 0.5, ...xs) + 0.2, land.bumpEnd + 5);
  const curve = [left, land.minimum, land.peak, land.bumpEnd, right].map((x) => ({ x, y: land.f(x) }));
  return {
    type: 'scatter',
    data: {
      datasets: [
        { label: 'f(x)', data: curve, showLine: true, borderColor: p.muted, pointRadius: 0, borderWidth: 2 },
        ...OPTIMIZER_NAMES.map((n, i) => ({
          label: OPTIMIZER_LABELS[n],
          data: shown[i].filter((x) => x <= right).map((x, step) => ({ x, y: land.f(x), step })),
          showLine: true,
          borderColor: optimizerColor(n, p),
          backgroundColor: optimizerColor(n, p),
          borderWidth: 1,
          pointRadius: 3,
          hidden: hidden(n),
          stepLabels: true,
        })),
      ],
    },
    options: { scales: { x: { ...axis('x'), min: left, max: right }, y: axis('f(x)') } },
  };
}

/** x_t against t for every optimizer, Adam just below and above h*, and the minimum and peak. */
export function q1TrajectoryChart(study: Q1Study, p: ChartPalette): ChartConfiguration<'line'> {
  const last = Math.max(...PRIMARY_OPTIMIZERS.map((n) => study.runs[n].x.length - 1));
  const hline = (label: string, y: number, color: string) => ({ label, data: [{ x: 0, y }, { x: last, y }], borderColor: color, borderDash: [4, 4], pointRadius: 0, borderWidth: 1 });
  const max = study.maxEscape.adam;
  const top = study.landscape.bumpEnd + 1;
  return {
    type: 'line',
    data: {
      datasets: [
        ...OPTIMIZER_NAMES.map((n) => ({
          label: OPTIMIZER_LABELS[n],
          data: study.runs[n].x.slice(0, last + 1).map((x, t) => ({ x: t, y: x })),
          borderColor: optimizerColor(n, p),
          backgroundColor: optimizerColor(n, p),
          pointRadius: 1.5,
          borderWidth: 1.5,
          hidden: hidden(n),
        })),
        ...(['below', 'above'] as const).flatMap((side) => {
          const run = max[side];
          if (!run || !max.bracket) return [];
          return [{
            label: `Adam at h = ${num(max.bracket[side === 'below' ? 0 : 1], 9)} (just ${side} h*)`,
            data: run.x.slice(0, last + 1).map((x, t) => ({ x: t, y: x })),
            borderColor: side === 'below' ? p.yellow : p.red,
            borderDash: [2, 2],
            pointRadius: 0,
            borderWidth: 1.5,
            hidden: true,
          }];
        }),
        hline('minimum L', study.landscape.minimum, p.muted),
        hline('peak', study.landscape.peak, p.red),
      ],
    },
    options: {
      scales: {
        x: axis('step t'),
        y: { ...axis('x_t'), max: Math.max(top, ...PRIMARY_OPTIMIZERS.map((n) => Math.min(study.runs[n].furthest, top))) },
      },
    },
  };
}

/** How far each optimizer gets for each bump height h: on the escape line when it escapes. */
export function q1SweepHChart(study: Q1Study, p: ChartPalette): ChartConfiguration<'scatter'> {
  const { h, escaped, furthest } = study.sweepH;
  const L = study.params.landscape.L;
  const peakOffset = (hh: number) => buildLandscape({ ...study.params.landscape, h: hh }).peak - L;
  const cap = 2 * peakOffset(h.at(-1)!);
  return {
    type: 'scatter',
    data: {
      datasets: [
        { label: 'peak − L (escape line)', data: h.map((x) => ({ x, y: peakOffset(x) })), showLine: true, borderColor: p.red, borderDash: [4, 4], pointRadius: 0, borderWidth: 1 },
        ...OPTIMIZER_NAMES.map((n) => ({
          label: OPTIMIZER_LABELS[n],
          // An escaping run is drawn on the escape line (it reached the peak); a stuck one at its coast.
          data: h.map((x, i) => ({ x, y: escaped[n][i] ? peakOffset(x) : Math.min(furthest[n][i] - L, cap) })),
          borderColor: optimizerColor(n, p),
          backgroundColor: h.map((_, i) => (escaped[n][i] ? optimizerColor(n, p) : 'transparent')),
          pointRadius: 2.5,
          hidden: hidden(n),
        })),
      ],
    },
    options: { scales: { x: axis('h'), y: axis('furthest x − L') } },
  };
}

/** The largest escapable h for each learning rate, for GD and Adam. */
export function q1SweepLrChart(study: Q1Study, p: ChartPalette): ChartConfiguration<'line'> {
  const { lr, maxH } = study.sweepLr;
  return {
    type: 'line',
    data: {
      datasets: (['gd', 'adam'] as const).map((n) => ({
        label: OPTIMIZER_LABELS[n],
        data: lr.flatMap((x, i) => (maxH[n][i] === null ? [] : [{ x, y: maxH[n][i]! }])),
        borderColor: optimizerColor(n, p),
        backgroundColor: optimizerColor(n, p),
        pointRadius: 2,
        borderWidth: 1.5,
      })),
    },
    options: { scales: { x: axis('learning rate a'), y: axis('largest escapable h') } },
  };
}
