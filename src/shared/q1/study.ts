/**
 * The Q1 study: both parts of the question answered from simulation. Pure float64 TypeScript with no
 * Node or DOM dependency, so the engine saves it as a run and the webview reruns it live as the
 * student edits a parameter.
 */
import { Q1Params } from './params';
import { Landscape, bumpShape, buildLandscape } from './landscape';
import { OPTIMIZER_NAMES, OptimizerName } from './optimizers';
import { simulate } from './simulate';
import { answerPart1, answerPart2 } from './answer';
import type { LandscapeSummary, MaxEscape, Q1Study, Q1StudyData } from './studyTypes';

export const DEFAULT_Q1_PARAMS: Q1Params = {
  landscape: { start: 0, L: 1, approachSlope: 1, h: 0.5, bumpWidth: null, afterSlope: 1, reading: 'h-high-2h-wide' },
  optimizers: { lr: 0.3, beta1: 0.9, beta2: 0.999, eps: 0, momentum: 0.9, rho: 0.9, steps: 3000 },
};

/** Bisection stops when the bracket is this narrow (the question asks for 1e-6 or better). */
export const BISECTION_TOLERANCE = 1e-9;
const H_LIMIT = 1000;

function withH(params: Q1Params, h: number): Landscape {
  return buildLandscape({ ...params.landscape, h });
}

function escapes(params: Q1Params, name: OptimizerName, h: number): boolean {
  return simulate(withH(params, h), name, params.optimizers).escaped;
}

/** Bisection over h, after bracketing; the escape set is assumed to be (0, h*], which a grid checks. */
export function maxEscapeHeight(params: Q1Params, name: OptimizerName, tolerance = BISECTION_TOLERANCE, gridPoints = 200): MaxEscape {
  const none = (note: string): MaxEscape => ({ h: null, note, bracket: null, below: null, above: null, monotonicityViolations: [] });
  let lo = tolerance;
  if (!escapes(params, name, lo)) return none(`does not escape even a bump of height ${lo}`);
  let hi = 1;
  while (escapes(params, name, hi)) {
    lo = hi;
    hi *= 2;
    if (hi > H_LIMIT) return none(`escapes every bump up to h = ${H_LIMIT}`);
  }
  while (hi - lo > tolerance) {
    const mid = (lo + hi) / 2;
    if (escapes(params, name, mid)) lo = mid;
    else hi = mid;
  }
  const violations: number[] = [];
  for (let i = 1; i <= gridPoints; i++) {
    const h = (2 * hi * i) / gridPoints;
    if (escapes(params, name, h) !== h <= lo) violations.push(h);
  }
  return {
    h: lo,
    note: violations.length
      ? `escaping is not monotone in h: ${violations.length} of ${gridPoints} grid heights up to ${(2 * hi).toPrecision(3)} disagree with h ≤ h*, so h* is the edge of the first escape interval only`
      : `escaping is monotone in h on a grid of ${gridPoints} heights up to ${(2 * hi).toPrecision(3)}`,
    bracket: [lo, hi],
    below: simulate(withH(params, lo), name, params.optimizers),
    above: simulate(withH(params, hi), name, params.optimizers),
    monotonicityViolations: violations,
  };
}

function summariseLandscape(land: Landscape): LandscapeSummary {
  const { height, width } = bumpShape(land.params);
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  const kink = (x: number, left: string, right: string) => ({ x, between: `${left} / ${right}`, belongsTo: right });
  return {
    minimum: land.minimum,
    peak: land.peak,
    bumpEnd: land.bumpEnd,
    height,
    width,
    pieces: land.pieces.map((p) => ({ name: p.name, from: finite(p.from), to: finite(p.to), slope: p.slope })),
    kinks: [kink(land.minimum, 'approach', 'rise'), kink(land.peak, 'rise', 'fall'), kink(land.bumpEnd, 'fall', 'after')],
  };
}

function byOptimizer<T>(fn: (name: OptimizerName) => T): Record<OptimizerName, T> {
  return Object.fromEntries(OPTIMIZER_NAMES.map((n) => [n, fn(n)])) as Record<OptimizerName, T>;
}

export function runQ1Study(params: Q1Params): Q1Study {
  const landscape = buildLandscape(params.landscape);
  const runs = byOptimizer((n) => simulate(landscape, n, params.optimizers));
  const maxEscape = byOptimizer((n) => maxEscapeHeight(params, n));

  // Wide enough to show where GD and Adam stop escaping (the question is about those two).
  const hTop = Math.max(1, 2 * Math.max(maxEscape.gd.h ?? 0, maxEscape.adam.h ?? 0));
  const hs = Array.from({ length: 120 }, (_, i) => (hTop * (i + 1)) / 120);
  const sweeps = byOptimizer((n) => hs.map((h) => simulate(withH(params, h), n, params.optimizers)));
  const lrs = Array.from({ length: 40 }, (_, i) => 0.025 * (i + 1));
  const maxHAt = (name: 'gd' | 'adam') =>
    lrs.map((lr) => maxEscapeHeight({ ...params, optimizers: { ...params.optimizers, lr } }, name, 1e-6, 0).h);

  const study: Q1StudyData = {
    params,
    landscape: summariseLandscape(landscape),
    runs,
    maxEscape,
    sweepH: {
      h: hs,
      escaped: byOptimizer((n) => sweeps[n].map((r) => r.escaped)),
      furthest: byOptimizer((n) => sweeps[n].map((r) => r.furthest)),
    },
    sweepLr: { lr: lrs, maxH: { gd: maxHAt('gd'), adam: maxHAt('adam') } },
  };
  return { ...study, answer: { part1: answerPart1(study), part2: answerPart2(study) } };
}

