import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { test } from 'node:test';
import { kmeansScores } from '../../src/engine/analysis/analyseAutoencoder';
import { rowDots } from '../../src/engine/analysis/dots';
import { MAX_ITERATIONS, bestKMeans } from '../../src/engine/analysis/kmeans';
import { hungarian, scoreClustering } from '../../src/engine/analysis/metrics';
import { pca2 } from '../../src/engine/analysis/pca';
import { umap2 } from '../../src/engine/analysis/umap';
import { loadMnist } from '../../src/engine/data/mnist';
import { meanGradientMagnitude } from '../../src/engine/analysis/sharpness';
import { encodeGreyPng, imageGrid } from '../../src/engine/images/png';
import { createRng } from '../../src/engine/random';

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} ≠ ${b}`);

test('a perfect clustering with permuted labels scores 1 everywhere', () => {
  const classes = [0, 0, 1, 1, 2, 2];
  const clusters = [2, 2, 0, 0, 1, 1];
  const s = scoreClustering(clusters, classes, 3, 3);
  assert.deepEqual([s.purity, s.accuracy], [1, 1]);
  close(s.nmi, 1);
  close(s.ari, 1);
  assert.deepEqual(s.matching, [1, 2, 0]);
});

test('a hand-worked example: purity, accuracy, NMI and ARI', () => {
  // Contingency (cluster × class): [[2, 1], [0, 3]] over 6 points.
  const clusters = [0, 0, 0, 1, 1, 1];
  const classes = [0, 0, 1, 1, 1, 1];
  const s = scoreClustering(clusters, classes, 2, 2);
  assert.deepEqual(s.contingency, [[2, 1], [0, 3]]);
  close(s.purity, 5 / 6);
  close(s.accuracy, 5 / 6);
  // I = Σ p_ij log(p_ij / (p_i p_j)); H(clusters) = log 2; H(classes) = −(1/3 log 1/3 + 2/3 log 2/3).
  const I = (2 / 6) * Math.log((2 / 6) / ((3 / 6) * (2 / 6))) + (1 / 6) * Math.log((1 / 6) / ((3 / 6) * (4 / 6))) + (3 / 6) * Math.log((3 / 6) / ((3 / 6) * (4 / 6)));
  const hA = Math.log(2);
  const hB = -((1 / 3) * Math.log(1 / 3) + (2 / 3) * Math.log(2 / 3));
  close(s.nmi, (2 * I) / (hA + hB));
  // ARI: index = C(2,2)+C(3,2) = 4; a = 3+3 = 6; b = C(2,2)+C(4,2) = 7; expected = 6·7/15 = 2.8; max = 6.5.
  close(s.ari, (4 - 2.8) / (6.5 - 2.8));
});

test('the Hungarian algorithm finds the best assignment, also against a greedy trap', () => {
  assert.deepEqual(hungarian([[4, 1, 3], [2, 0, 5], [3, 2, 2]]), [1, 0, 2]);
  // Greedy takes the 1 and then pays 100; the optimum pays 2 + 2.
  assert.deepEqual(hungarian([[1, 2], [2, 100]]), [1, 0]);
  // Accuracy uses one-to-one matching: two clusters cannot both claim class 0.
  const s = scoreClustering([0, 0, 1, 1], [0, 0, 0, 0], 2, 2);
  assert.equal(s.accuracy, 0.5);
  assert.equal(s.purity, 1);
});

/** n points round each centre, with Gaussian noise of standard deviation sigma; flat, row-major. */
function blobs(centres: number[][], perCentre: number, sigma: number, seed: number): { data: Float64Array; truth: number[] } {
  const rng = createRng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const dim = centres[0].length;
  const n = centres.length * perCentre;
  const data = new Float64Array(n * dim);
  const truth: number[] = [];
  for (let i = 0; i < n; i++) {
    truth.push(i % centres.length);
    for (let d = 0; d < dim; d++) data[i * dim + d] = centres[i % centres.length][d] + sigma * gauss();
  }
  return { data, truth };
}

const squaredDistance = (data: ArrayLike<number>, i: number, c: number[]) => c.reduce((s, v, d) => s + (data[i * c.length + d] - v) ** 2, 0);

test('the blocked dot products equal plain ones, for every remainder of the 4 × 4 blocks', () => {
  const rng = createRng(11);
  for (const [aCount, bCount, dim] of [[9, 10, 7], [4, 4, 1], [3, 1, 5], [13, 6, 33], [1, 3, 2]]) {
    const a = Float64Array.from({ length: (aCount + 2) * dim }, () => rng() - 0.5);
    const b = Float64Array.from({ length: (bCount + 1) * dim }, () => rng() - 0.5);
    const out = new Float64Array(aCount * bCount).fill(NaN);
    rowDots(a, 2, aCount, b, 1, bCount, dim, out);
    for (let i = 0; i < aCount; i++) {
      for (let j = 0; j < bCount; j++) {
        let s = 0;
        for (let d = 0; d < dim; d++) s += a[(2 + i) * dim + d] * b[(1 + j) * dim + d];
        close(out[i * bCount + j], s, 1e-12);
      }
    }
  }
});

test('K-means finds well-separated Gaussian clusters exactly, at their means, reproducibly, keeping the best restart', async () => {
  const centres = [[0, 0, 0, 0], [8, 0, 0, 0], [0, 8, 0, 0], [0, 0, 8, 0], [0, 0, 0, 8], [8, 8, 8, 8]];
  const { data, truth } = blobs(centres, 150, 0.5, 3);
  const data32 = Float32Array.from(data);
  const fit = (await bestKMeans(data32, truth.length, 4, 6, 7, 4))!;
  assert.equal(scoreClustering(fit.clusters, truth, 6, 6).accuracy, 1);
  for (const centroid of fit.centroids) {
    const nearest = Math.min(...centres.map((c) => Math.hypot(...c.map((v, d) => v - centroid[d]))));
    assert.ok(nearest < 0.15, `a centroid ${nearest} from the nearest true centre`);
  }
  assert.equal(fit.restarts.length, 4);
  assert.deepEqual(fit.restarts.map((r) => r.seed), [7000, 7001, 7002, 7003]);
  assert.equal(fit.inertia, Math.min(...fit.restarts.map((r) => r.inertia)));
  assert.equal(fit.inertia, fit.restarts[fit.best].inertia);
  assert.deepEqual(await bestKMeans(data32, truth.length, 4, 6, 7, 4), fit, 'the same seed gives the same fit');
  assert.deepEqual((await bestKMeans(data, truth.length, 4, 6, 7, 4))!.clusters, fit.clusters, 'Float64Array data clusters alike');
});

test('K-means is deterministic for a seed, and its inertia, centroids and assignments agree with a brute-force check', async () => {
  const rng = createRng(21);
  const n = 1500;
  const dim = 5;
  const data = Float32Array.from({ length: n * dim }, () => rng());
  const fit = (await bestKMeans(data, n, dim, 8, 3, 3))!;
  assert.deepEqual(await bestKMeans(data, n, dim, 8, 3, 3), fit);
  const other = (await bestKMeans(data, n, dim, 8, 4, 3))!;
  assert.notDeepEqual(other.restarts.map((r) => r.inertia), fit.restarts.map((r) => r.inertia), 'another seed, other starts');
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += squaredDistance(data, i, fit.centroids[fit.clusters[i]]);
  close(fit.inertia, inertia, 1e-9 * inertia);
  // Converged: every point is at its nearest centroid, and every centroid is the mean of its points.
  assert.ok(fit.restarts[fit.best].iterations < MAX_ITERATIONS, 'converged before the iteration limit');
  for (let i = 0; i < n; i++) {
    const own = squaredDistance(data, i, fit.centroids[fit.clusters[i]]);
    assert.ok(fit.centroids.every((c) => squaredDistance(data, i, c) >= own - 1e-9), `point ${i} is not at its nearest centroid`);
  }
  for (let c = 0; c < 8; c++) {
    const members = fit.clusters.flatMap((label, i) => (label === c ? [i] : []));
    assert.ok(members.length > 0);
    for (let d = 0; d < dim; d++) close(fit.centroids[c][d], members.reduce((s, i) => s + data[i * dim + d], 0) / members.length, 1e-9);
  }
});

test('K-means gives an empty cluster a point, so that all k clusters are used', async () => {
  // Two distinct points and k = 3: k-means++ must start two centroids on the same point, and the
  // first assignment leaves one of them empty, whatever the seed.
  const data = Float64Array.from([0, 0, 0, 0, 0, 0, 0, 0, 5, 5, 5, 5]);
  for (const seed of [1, 2, 3, 4]) {
    const fit = (await bestKMeans(data, 6, 2, 3, seed, 1))!;
    assert.deepEqual([0, 1, 2].map((c) => fit.clusters.filter((label) => label === c).length > 0), [true, true, true], `seed ${seed}: ${fit.clusters}`);
    assert.equal(fit.inertia, 0);
    assert.ok(fit.centroids.flat().every(Number.isFinite));
  }
  await assert.rejects(bestKMeans(data, 6, 2, 7, 1, 1), /1 ≤ k ≤ n/);
});

test('K-means stops at the first iteration after a cancel, in any restart, and keeps the event loop turning meanwhile', async () => {
  const { data, truth } = blobs([[0, 0], [10, 0], [0, 10]], 100, 0.5, 3);
  assert.equal(await bestKMeans(data, truth.length, 2, 3, 7, 4, () => true), undefined, 'a stop request in the first iteration returns nothing');
  const rng = createRng(5);
  const n = 5000;
  const dim = 64;
  const uniform = Float64Array.from({ length: n * dim }, () => rng());
  // Uncancelled, a timer keeps firing during the fits: heartbeats and cancel requests get through.
  const ticks: number[] = [];
  const ticker = setInterval(() => ticks.push(performance.now()), 10);
  const started = performance.now();
  let asked = 0;
  const fit = (await bestKMeans(uniform, n, dim, 10, 1, 5, () => (asked++, false)))!;
  const ended = performance.now();
  clearInterval(ticker);
  const elapsed = ended - started;
  assert.ok(fit.restarts.every((r) => r.iterations > 4), 'the uncancelled fits ran well past 4 iterations');
  assert.equal(asked, fit.restarts.reduce((sum, r) => sum + r.iterations, 0), 'asked after every iteration');
  assert.ok(elapsed > 300, `the fits took ${elapsed.toFixed(0)} ms: too short to show anything`);
  assert.ok(ticks.length >= elapsed / 400, `a 10 ms timer fired ${ticks.length} times in ${elapsed.toFixed(0)} ms`);
  const times = [started, ...ticks, ended];
  const longestGap = Math.max(...times.slice(1).map((t, i) => t - times[i]));
  assert.ok(longestGap < 400, `the event loop was held for ${longestGap.toFixed(0)} ms`);
  let checks = 0;
  assert.equal(await bestKMeans(uniform, n, dim, 10, 1, 5, () => ++checks > 3), undefined);
  assert.equal(checks, 4, 'checked after every iteration, stopped at the first positive check');
  checks = 0;
  const inSecondRestart = fit.restarts[0].iterations + 2;
  assert.equal(await bestKMeans(uniform, n, dim, 10, 1, 5, () => ++checks >= inSecondRestart), undefined, 'a stop in a later restart returns nothing either');
  assert.equal(checks, inSecondRestart);
});

test('PCA finds the direction of largest spread first', () => {
  const rng = createRng(5);
  const n = 2000;
  const data = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const t = (rng() - 0.5) * 10; // large spread along (1, 1, 0)/√2
    const u = (rng() - 0.5) * 2; // smaller along z
    data.set([t / Math.SQRT2 + 5, t / Math.SQRT2 - 3, u], i * 3);
  }
  const { xy, explained } = pca2(data, n, 3);
  assert.ok(explained[0] > 0.9 && explained[1] > 0.04 && explained[0] + explained[1] > 0.999, `explained ${explained}`);
  // The first coordinate follows the projection on (1,1,0)/√2 (up to sign and centring): correlation ±1.
  const a = Array.from({ length: n }, (_, i) => xy[2 * i]);
  const b = Array.from({ length: n }, (_, i) => (data[i * 3] + data[i * 3 + 1]) / Math.SQRT2);
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const [ma, mb] = [mean(a), mean(b)];
  const cov = mean(a.map((x, i) => (x - ma) * (b[i] - mb)));
  const corr = cov / Math.sqrt(mean(a.map((x) => (x - ma) ** 2)) * mean(b.map((x) => (x - mb) ** 2)));
  close(Math.abs(corr), 1, 1e-3);
  close(ma, 0, 1e-6);
});

test('PCA is exact where power iteration is slow, and signs its axes so that the picture never mirrors', () => {
  // Two directions of almost equal spread (variances 1 and 0.999 along x and y, 0.01 along z): power
  // iteration converges at the rate 0.999 per step; the eigendecomposition is exact.
  const rng = createRng(11);
  const n = 4000;
  const data = new Float32Array(n * 3);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  for (let i = 0; i < n; i++) data.set([gauss(), Math.sqrt(0.999) * gauss(), 0.1 * gauss()], i * 3);
  const { xy, explained } = pca2(data, n, 3);
  // The explained shares are the covariance's own eigenvalues over its trace: check against the
  // variance of the projections, which is what they mean.
  const variance = (k: number) => {
    const v = Array.from({ length: n }, (_, i) => xy[2 * i + k]);
    const m = v.reduce((s, x) => s + x, 0) / n;
    return v.reduce((s, x) => s + (x - m) ** 2, 0) / (n - 1);
  };
  let total = 0;
  for (let d = 0; d < 3; d++) {
    const v = Array.from({ length: n }, (_, i) => data[i * 3 + d]);
    const m = v.reduce((s, x) => s + x, 0) / n;
    total += v.reduce((s, x) => s + (x - m) ** 2, 0) / (n - 1);
  }
  close(explained[0], variance(0) / total, 1e-9);
  close(explained[1], variance(1) / total, 1e-9);
  // The two axes are uncorrelated (orthogonal eigenvectors), which an unconverged iteration is not.
  const cross = Array.from({ length: n }, (_, i) => xy[2 * i] * xy[2 * i + 1]).reduce((s, x) => s + x, 0) / (n - 1);
  close(cross / Math.sqrt(variance(0) * variance(1)), 0, 1e-9);
  // Each axis's sign is fixed by its largest component (cov(projection, x_d) = λ·v_d): positive.
  for (const k of [0, 1]) {
    const loadings = [0, 1, 2].map((d) => Array.from({ length: n }, (_, i) => xy[2 * i + k] * data[i * 3 + d]).reduce((s, x) => s + x, 0));
    const largest = loadings.reduce((best, x, d) => (Math.abs(x) > Math.abs(loadings[best]) ? d : best), 0);
    assert.ok(loadings[largest] > 0, `axis ${k}: loadings ${loadings}`);
  }
  // The same points in another order give the same picture, point for point.
  const order = Array.from({ length: n }, (_, i) => (i * 7919) % n);
  const shuffled = new Float32Array(n * 3);
  order.forEach((from, to) => shuffled.set(data.subarray(from * 3, from * 3 + 3), to * 3));
  const again = pca2(shuffled, n, 3);
  order.forEach((from, to) => {
    close(again.xy[2 * to], xy[2 * from], 1e-6);
    close(again.xy[2 * to + 1], xy[2 * from + 1], 1e-6);
  });
});

test('sharpness: a blurred image has a smaller mean gradient than the original', () => {
  const sharp = new Float32Array(784);
  for (let y = 8; y < 20; y++) for (let x = 8; x < 20; x++) sharp[y * 28 + x] = 1;
  const blurred = new Float32Array(784);
  for (let y = 1; y < 27; y++) {
    for (let x = 1; x < 27; x++) {
      let s = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) s += sharp[(y + dy) * 28 + x + dx];
      blurred[y * 28 + x] = s / 9;
    }
  }
  assert.ok(meanGradientMagnitude(blurred, 1) < meanGradientMagnitude(sharp, 1));
  assert.equal(meanGradientMagnitude(new Float32Array(784), 1), 0);
});

test('the PNG encoder writes a valid greyscale PNG whose pixels decode back', () => {
  const pixels = Uint8Array.from({ length: 6 * 4 }, (_, i) => i * 10);
  const png = encodeGreyPng(pixels, 6, 4);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(png.toString('ascii', 12, 16), 'IHDR');
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20), png[24], png[25]], [6, 4, 8, 0]);
  const idatLength = png.readUInt32BE(33);
  assert.equal(png.toString('ascii', 37, 41), 'IDAT');
  const raw = inflateSync(png.subarray(41, 41 + idatLength));
  const rows = Array.from({ length: 4 }, (_, y) => [...raw.subarray(y * 7 + 1, y * 7 + 7)]);
  assert.deepEqual(rows.flat(), [...pixels]);
  const grid = imageGrid([[new Uint8Array(784).fill(255)]], 28, 2, 1);
  assert.deepEqual([grid.width, grid.height], [32, 32]);
  assert.equal(grid.pixels[2 * 32 + 2], 0, 'ink is dark on white');
  assert.equal(grid.pixels[0], 255);
});

test('a 2-D UMAP is seeded, stops when asked, and exposes digit structure K-means cannot find in the raw pixels', async () => {
  const test1000 = loadMnist('test', undefined, 1000);
  const embedding = (await umap2(test1000.images, test1000.count, 784, 7, () => false))!;
  assert.equal(embedding.length, 2 * test1000.count);
  assert.deepEqual(await umap2(test1000.images, test1000.count, 784, 7, () => false), embedding, 'same seed, same embedding');
  let asked = 0;
  assert.equal(await umap2(test1000.images, test1000.count, 784, 7, () => ++asked > 2), undefined);
  assert.equal(asked, 3, 'it stopped at the first epoch that saw the request');
  const never = () => false;
  const pixels = await kmeansScores({ data: test1000.images, dim: 784 }, test1000.labels, 7, never);
  const umap = await kmeansScores({ data: embedding, dim: 2 }, test1000.labels, 7, never);
  assert.ok(umap.scores.nmi > pixels.scores.nmi + 0.05, `NMI: UMAP ${umap.scores.nmi}, pixels ${pixels.scores.nmi}`);
});
