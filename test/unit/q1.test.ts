import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Q1Params } from '../../src/shared/q1/params';
import { buildLandscape } from '../../src/shared/q1/landscape';
import { createOptimizer } from '../../src/shared/q1/optimizers';
import { simulate } from '../../src/shared/q1/simulate';
import { DEFAULT_Q1_PARAMS, maxEscapeHeight, runQ1Study } from '../../src/shared/q1/study';

const { landscape: defaults, optimizers: opt } = DEFAULT_Q1_PARAMS;
const land = buildLandscape(defaults);
const near = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} ≠ ${b}`);

test('the default landscape: pieces, values, and which piece a kink belongs to', () => {
  assert.deepEqual(
    land.pieces.map((p) => [p.name, p.from, p.to, p.slope]),
    [
      ['approach', -Infinity, 1, -1],
      ['rise', 1, 1.5, 1],
      ['fall', 1.5, 2, -1],
      ['after', 2, Infinity, -1],
    ],
  );
  assert.deepEqual([0, 1, 1.25, 1.5, 2, 3].map(land.f), [1, 0, 0.25, 0.5, 0, -1]);
  assert.equal(land.gradient(0.999), -1);
  assert.equal(land.gradient(1), 1, 'the minimum belongs to the rising piece');
  assert.equal(land.gradient(1.5), -1, 'the peak belongs to the falling piece');
  assert.equal(land.gradient(2.5), -1);
});

test('the other reading, an explicit width and other slopes reshape the bump', () => {
  const tall = buildLandscape({ ...defaults, reading: 'h-wide-2h-high' });
  assert.equal(tall.peak, 1.25);
  assert.equal(tall.gradient(1.1), 4);
  assert.equal(tall.f(1.25), 1);
  const wide = buildLandscape({ ...defaults, bumpWidth: 2 });
  assert.equal(wide.peak, 2);
  assert.equal(wide.gradient(1.5), 0.5);
  const rising = buildLandscape({ ...defaults, approachSlope: 2, afterSlope: -0.5 });
  assert.equal(rising.gradient(0), -2);
  assert.equal(rising.gradient(5), 0.5);
  assert.equal(rising.f(0), 2);
});

test('gradient descent: first steps by hand, then the 0.9 ↔ 1.2 cycle', () => {
  const gd = simulate(land, 'gd', opt);
  [0, 0.3, 0.6, 0.9, 1.2, 0.9, 1.2].forEach((x, t) => near(gd.x[t], x));
  assert.equal(gd.outcome, 'stuck');
  assert.equal(gd.cycle?.period, 2);
  assert.deepEqual(gd.cycle!.points.map((x) => Number(x.toFixed(12))).sort(), [0.9, 1.2]);
  assert.ok(gd.certainAt !== null && gd.certainAt <= 10);
  assert.equal(gd.furthest.toFixed(12), '1.200000000000');
});

test('Adam: the first five steps by hand (Algorithm 1, ε = 0)', () => {
  const adam = simulate(land, 'adam', opt);
  // Approach: g = −1 every step, so m̂ = −1 and v̂ = 1 exactly: +0.3 per step.
  [0, 0.3, 0.6, 0.9, 1.2].forEach((x, t) => near(adam.x[t], x));
  // Step 5 starts at x = 1.2 on the rise (g = +1): m5 = 0.9·m4 + 0.1 with m4 = −(1 − 0.9⁴).
  const m4 = -(1 - 0.9 ** 4);
  const m5 = 0.9 * m4 + 0.1;
  const mHat = m5 / (1 - 0.9 ** 5);
  const v5 = 0.001 * (1 + 0.999 + 0.999 ** 2 + 0.999 ** 3 + 0.999 ** 4); // every g² is 1
  const vHat = v5 / (1 - 0.999 ** 5);
  near(adam.x[5], 1.2 - (0.3 * mHat) / Math.sqrt(vHat));
  near(adam.x[5], 1.3534834314, 1e-10);
});

test('momentum SGD and RMSProp take their first steps as defined', () => {
  const momentum = simulate(land, 'momentum', opt);
  near(momentum.x[1], 0.3); // u = 1
  near(momentum.x[2], 0.3 + 0.3 * 1.9); // u = 0.9 + 1
  const rms = simulate(land, 'rmsprop', opt);
  near(rms.x[1], 0.3 / Math.sqrt(0.1)); // v = 0.1·1
});

test('with ε = 0 a zero gradient is guarded: the step is 0, not NaN, and it is counted', () => {
  const adam = createOptimizer('adam', opt);
  assert.equal(adam.step(0), 0);
  assert.equal(adam.guardHits, 1);
  assert.ok(Number.isFinite(adam.step(-1)));
  const rms = createOptimizer('rmsprop', opt);
  assert.equal(rms.step(0), 0);
  assert.equal(rms.guardHits, 1);
  assert.ok(Math.abs(createOptimizer('adam', { ...opt, eps: 1e-8 }).step(0)) === 0);
});

test('bisection finds Adam’s largest escapable h to 1e-6 and escaping is monotone in h', () => {
  const max = maxEscapeHeight(DEFAULT_Q1_PARAMS, 'adam');
  assert.ok(max.h !== null && max.bracket);
  assert.ok(max.bracket[1] - max.bracket[0] <= 1e-6);
  const escapes = (h: number) => simulate(buildLandscape({ ...defaults, h }), 'adam', opt).escaped;
  assert.equal(escapes(max.bracket[0]), true);
  assert.equal(escapes(max.bracket[1]), false);
  // The monotonicity the bisection relies on, checked on our own grid of heights.
  for (let i = 1; i <= 300; i++) {
    const h = (i / 300) * 1.5;
    assert.equal(escapes(h), h <= max.h, `h = ${h}`);
  }
  assert.deepEqual(max.monotonicityViolations, []);
  // Just above h*, Adam turns back before the peak and settles near L.
  assert.equal(max.above!.outcome, 'stuck');
  assert.ok(max.above!.furthest < 1 + max.bracket[1]);
  // GD's escape bound is where its last approach step lands: 1.2 − L.
  near(maxEscapeHeight(DEFAULT_Q1_PARAMS, 'gd').h!, 0.2, 1e-8);
});

test('the study answers both parts with its own numbers', () => {
  const study = runQ1Study(DEFAULT_Q1_PARAMS);
  assert.match(study.answer.part1, /0\.9 → 1\.2/);
  assert.match(study.answer.part1, /h = 0\.5 > a = 0\.3/);
  const hStar = study.maxEscape.adam.h!.toFixed(6).replace(/0+$/, '');
  assert.ok(study.answer.part2.includes(`h* = ${hStar}`), study.answer.part2);
  assert.match(study.answer.part2, /guard never acted/);
  assert.equal(study.sweepH.h.length, study.sweepH.escaped.adam.length);
  assert.equal(study.sweepLr.lr.length, study.sweepLr.maxH.adam.length);
});

test('impossible parameters are rejected with the field named', () => {
  const bad = (landscape: object, optimizers: object = {}) =>
    Q1Params.safeParse({ landscape: { ...defaults, ...landscape }, optimizers: { ...opt, ...optimizers } });
  const where = (r: ReturnType<typeof bad>) => (r.success ? 'ok' : r.error.issues[0].path.join('.'));
  assert.equal(where(bad({ h: -1 })), 'landscape.h');
  assert.equal(where(bad({ h: NaN })), 'landscape.h');
  assert.equal(where(bad({ start: 2 })), 'landscape.start');
  assert.equal(where(bad({}, { beta1: 1 })), 'optimizers.beta1');
  assert.equal(where(bad({}, { beta2: -0.1 })), 'optimizers.beta2');
  assert.equal(where(bad({}, { lr: 0 })), 'optimizers.lr');
  assert.equal(where(bad({}, { steps: 1e9 })), 'optimizers.steps');
  assert.equal(where(bad({})), 'ok');
});

test('tfjs’s Adam with ε = 0 takes the same steps as the simulator, to float32 precision', async () => {
  await tf.setBackend('cpu');
  const ours = simulate(land, 'adam', opt).x;
  const x = tf.variable(tf.scalar(defaults.start));
  const adam = tf.train.adam(opt.lr, opt.beta1, opt.beta2, 0);
  for (let t = 1; t <= 60; t++) {
    const g = land.gradient((await x.data())[0]);
    adam.applyGradients([{ name: x.name, tensor: tf.scalar(g) }]);
    const xt = (await x.data())[0];
    // float32 keeps ~7 digits, but 1 − β2^t cancels about two of them for β2 = 0.999 and small t,
    // so the steps agree to ~1e-5 (measured: at most 1.4e-5 over these 60 steps), not to 1e-7.
    assert.ok(Math.abs(xt - ours[t]) < 3e-5, `step ${t}: tfjs ${xt}, simulator ${ours[t]}`);
  }
});
