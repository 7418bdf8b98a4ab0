/**
 * Runs one optimizer on the landscape and judges the outcome:
 * - escaped: it passed the peak and did not come back (certain at the crossing when f falls all the
 *   way right of the peak: every later gradient pushes right, and the crossing step already moved right);
 * - stuck: it never passed the peak; if its state (x and the optimizer's moments) repeats, the cycle
 *   it settled into is reported with the step where the repeat was confirmed;
 * - diverged: x left the finite numbers.
 */
import { Q1Optimizers } from './params';
import { Landscape } from './landscape';
import { OptimizerName, createOptimizer } from './optimizers';

export interface Cycle {
  period: number;
  /** The x values of one period, in visiting order. */
  points: number[];
  /** First step of the repeating part. */
  from: number;
}

export interface OptimizerRun {
  optimizer: OptimizerName;
  outcome: 'escaped' | 'stuck' | 'diverged';
  escaped: boolean;
  /** Step at which the outcome became certain; null when only the horizon decided it. */
  certainAt: number | null;
  /** First step past the peak (escaped runs). */
  crossedAt: number | null;
  /** Largest x reached in the simulated steps. */
  furthest: number;
  furthestAt: number;
  cycle: Cycle | null;
  guardHits: number;
  /** x_0 … x_n; the simulation stops a little after the outcome became certain. */
  x: number[];
}

const MAX_PERIOD = 64;
/** Steps shown after an outcome became certain, so plots show what happens next. */
const AFTER_CERTAIN = 12;

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-10 * Math.max(1, Math.abs(a), Math.abs(b));
}

function sameState(a: number[], b: number[]): boolean {
  return a.every((v, i) => close(v, b[i]));
}

/** A period p such that the last 2p states each equal the state p steps earlier. */
function findCycle(states: number[][]): number | null {
  const t = states.length - 1;
  for (let p = 1; p <= MAX_PERIOD && t - 3 * p >= 0; p++) {
    let repeats = true;
    for (let j = 0; j < 2 * p && repeats; j++) repeats = sameState(states[t - j], states[t - j - p]);
    if (repeats) return p;
  }
  return null;
}

export function simulate(landscape: Landscape, name: OptimizerName, params: Q1Optimizers): OptimizerRun {
  const optimizer = createOptimizer(name, params);
  const fallsAfterPeak = landscape.params.afterSlope > 0;
  let x = landscape.params.start;
  const xs = [x];
  const states: number[][] = [[x]];
  let crossedAt: number | null = null;
  let certainAt: number | null = null;
  let furthest = x;
  let furthestAt = 0;
  let cycle: Cycle | null = null;
  let stopAt = params.steps;

  for (let t = 1; t <= stopAt; t++) {
    x += optimizer.step(landscape.gradient(x));
    xs.push(x);
    if (!Number.isFinite(x)) {
      return { optimizer: name, outcome: 'diverged', escaped: false, certainAt: t, crossedAt, furthest, furthestAt, cycle: null, guardHits: optimizer.guardHits, x: xs };
    }
    states.push([x, ...optimizer.state()]);
    if (x > furthest) {
      furthest = x;
      furthestAt = t;
    }
    if (x < landscape.peak) {
      crossedAt = null; // back left of the peak: an earlier crossing did not count
    } else if (crossedAt === null) {
      crossedAt = t;
      if (fallsAfterPeak) {
        certainAt = t;
        stopAt = Math.min(stopAt, t + AFTER_CERTAIN);
      }
    }
    if (certainAt === null) {
      const period = findCycle(states);
      if (period !== null) {
        cycle = { period, points: xs.slice(t - period + 1, t + 1), from: t - 3 * period + 1 };
        certainAt = t;
        stopAt = Math.min(stopAt, t + AFTER_CERTAIN);
      }
    }
  }
  // Right of the peak at the end and, if it settled into a cycle, the whole cycle is (it may settle
  // in a second valley when f rises again after the bump).
  const escaped = crossedAt !== null && (cycle === null || Math.min(...cycle.points) >= landscape.peak);
  return {
    optimizer: name,
    outcome: escaped ? 'escaped' : 'stuck',
    escaped,
    certainAt,
    crossedAt: escaped ? crossedAt : null,
    furthest,
    furthestAt,
    cycle,
    guardHits: optimizer.guardHits,
    x: xs,
  };
}
