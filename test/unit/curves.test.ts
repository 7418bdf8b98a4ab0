/**
 * The curve charts' pure parts: TensorBoard's debiased moving average, the series drawn on each
 * x-axis, the CSV of what a chart draws, and the check of a chart image before the host writes it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AutoencoderEpoch, TrainingStep } from '../../src/runs/schema';
import { Curve, autoencoderCurves, drawnSeries, emaSmooth, seriesCsv } from '../../src/shared/charts/curves';
import { chartFileBytes } from '../../src/extension/views/workbench/chartFile';

const close = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => Math.abs(v - b[i]) < 1e-12);

test('the moving average is debiased as TensorBoard computes it; smoothing 0 gives the raw values', () => {
  // weight 0.5: the averages 0.5, 1.25, 2.125 divided by 1 − 0.5, 1 − 0.25, 1 − 0.125.
  assert.ok(close(emaSmooth([1, 2, 3], 0.5), [1, 5 / 3, 17 / 7]), String(emaSmooth([1, 2, 3], 0.5)));
  const raw = [0.31, 0.27, 0.29, 0.2, 0.22];
  assert.deepEqual(emaSmooth(raw, 0), raw);
  // Without the debiasing the first points would start near 0; with it a constant stays itself.
  assert.ok(close(emaSmooth([0.3, 0.3, 0.3, 0.3], 0.99), [0.3, 0.3, 0.3, 0.3]));
  assert.ok(emaSmooth(raw, 0.9).slice(1).every((v, i) => v !== raw[i + 1]), 'smoothing changes the series');
});

const steps: TrainingStep[] = [1, 2, 3, 4, 5, 6].map((step) => ({ step, epoch: Math.ceil(step / 3), batch: ((step - 1) % 3) + 1, seconds: step * 0.5, l1: 1 / step }));
const metrics: AutoencoderEpoch[] = [
  { epoch: 1, trainL1: 0.6, testL1: 0.55, seconds: 1.7 },
  { epoch: 2, trainL1: 0.2, testL1: 0.25, seconds: 1.6 },
];

test("an autoencoder's curves: train L1 at every step, test L1 where and when each epoch ended", () => {
  const { train, test: testL1 } = autoencoderCurves(metrics, steps, 3);
  assert.deepEqual(train.map((p) => [p.step, p.epoch, p.seconds, p.y]), steps.map((s) => [s.step, s.epoch - 1 + s.batch / 3, s.seconds, (s as { l1: number }).l1]));
  assert.deepEqual(testL1, [{ step: 3, epoch: 1, seconds: 1.5, y: 0.55 }, { step: 6, epoch: 2, seconds: 3, y: 0.25 }]);
  // A run from before the step log: train L1 per epoch, its time summed from the epochs'.
  const old = autoencoderCurves(metrics, [], 3);
  assert.deepEqual(old.train, [{ step: 3, epoch: 1, seconds: 1.7, y: 0.6 }, { step: 6, epoch: 2, seconds: 1.7 + 1.6, y: 0.2 }]);
});

test('each x-axis places the points by step, fractional epoch or seconds; a live point without a time is left off the wall-time axis', () => {
  const curve: Curve = { label: 'L=2 train', color: '#4e79a7', points: [...autoencoderCurves(metrics, steps, 3).train, { step: 7, epoch: 2 + 1 / 3, y: 0.1 }] };
  const [byStep] = drawnSeries([curve], 'step', 0);
  const [byEpoch] = drawnSeries([curve], 'epoch', 0);
  const [byTime] = drawnSeries([curve], 'wall', 0.5);
  assert.deepEqual(byStep.x, [1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(byEpoch.x.map((x) => +x.toFixed(6)), [0.333333, 0.666667, 1, 1.333333, 1.666667, 2, 2.333333]);
  assert.deepEqual(byTime.x, [0.5, 1, 1.5, 2, 2.5, 3]);
  assert.deepEqual(byStep.smoothed, byStep.raw, 'smoothing 0 draws the raw series');
  assert.deepEqual(byTime.smoothed, emaSmooth(byTime.raw, 0.5));
});

/** A CSV reader for the test: quoted cells with doubled quotes, as the writer makes them. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.trimEnd().split('\n')) {
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (quoted && ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') {
        quoted = !quoted;
      } else if (ch === ',' && !quoted) {
        cells.push(cell);
        cell = '';
      } else {
        cell += ch;
      }
    }
    rows.push([...cells, cell]);
  }
  return rows;
}

test('the CSV holds exactly the series drawn, raw and smoothed, and reads back to the same numbers', () => {
  const curves: Curve[] = [
    { label: '(a) L=2, "plain"', color: '#4e79a7', points: autoencoderCurves(metrics, steps, 3).train },
    { label: '(b) sharpened', color: '#f28e2b', points: autoencoderCurves(metrics, steps, 3).test, perEpoch: true },
  ];
  const drawn = drawnSeries(curves, 'wall', 0.6);
  const [header, ...rows] = parseCsv(seriesCsv(drawn, 'wall', 'L1'));
  assert.deepEqual(header, ['series', 'wall time (s, relative)', 'L1', 'L1 (smoothed)']);
  const read = drawn.map((s) => {
    const mine = rows.filter((r) => r[0] === s.label);
    return { ...s, x: mine.map((r) => Number(r[1])), raw: mine.map((r) => Number(r[2])), smoothed: mine.map((r) => Number(r[3])) };
  });
  assert.deepEqual(read, drawn);
  assert.equal(rows.length, steps.length + metrics.length);
});

test('a chart image is written only when it is a PNG; CSV is written as UTF-8 text', () => {
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR and the rest')]);
  assert.deepEqual(Buffer.from(chartFileBytes({ kind: 'png', dataUrl: `data:image/png;base64,${png.toString('base64')}` })), png);
  assert.throws(() => chartFileBytes({ kind: 'png', dataUrl: `data:image/png;base64,${Buffer.from('GIF89a....').toString('base64')}` }), /not a PNG file; nothing was saved/);
  assert.equal(Buffer.from(chartFileBytes({ kind: 'csv', text: 'σ,λ\n1,2\n' })).toString('utf8'), 'σ,λ\n1,2\n');
});
