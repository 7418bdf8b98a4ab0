import { buildLandscape } from '../src/shared/q1/landscape';
import { simulate } from '../src/shared/q1/simulate';
const opt = { lr: 0.3, beta1: 0.9, beta2: 0.999, eps: 0, momentum: 0.9, rho: 0.9, steps: 3000 };
for (const h of [0.2, 0.25, 0.5, 0.7, 1, 2]) {
  const land = buildLandscape({ start: 0, L: 1, approachSlope: 1, h, bumpWidth: null, afterSlope: 1, reading: 'h-high-2h-wide' });
  for (const name of ['gd', 'adam', 'momentum', 'rmsprop'] as const) {
    const r = simulate(land, name, opt);
    console.log(h, name, r.outcome, 'certain', r.certainAt, 'crossed', r.crossedAt, 'furthest', r.furthest.toFixed(4), 'cycle', r.cycle && r.cycle.period, r.cycle && r.cycle.points.map(v=>v.toFixed(4)).join(','), 'len', r.x.length);
  }
}
