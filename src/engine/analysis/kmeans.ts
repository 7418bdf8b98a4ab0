/**
 * K-means on flat row-major data: seeded greedy k-means++ initialisation, Lloyd iterations until no
 * assignment changes, best of several restarts by inertia. Distances are ‖x‖² − 2·x·c + ‖c‖² from
 * blocked dot products (dots.ts), several times faster than one distance at a time over number[][].
 */
import { yieldToEventLoop } from '../eventLoop';
import { createRng } from '../random';
import { rowDots, squaredNorms } from './dots';

export interface KMeansFit {
  clusters: number[];
  centroids: number[][];
  inertia: number;
  /** Inertia of every restart, best marked by `best`. */
  restarts: { seed: number; inertia: number; iterations: number }[];
  best: number;
}

export const MAX_ITERATIONS = 200;

/** The event loop gets a turn this often during a fit, so that heartbeats and cancel requests go through. */
const YIELD_EVERY_MS = 100;

/** Points per block of dot products: small enough to yield often, large enough to keep the kernel busy. */
const BLOCK = 256;

type Pace = () => Promise<void>;

function pacer(): Pace {
  let last = performance.now();
  return async () => {
    if (performance.now() - last > YIELD_EVERY_MS) {
      await yieldToEventLoop();
      last = performance.now();
    }
  };
}

interface Points {
  x: Float64Array;
  norms: Float64Array;
  n: number;
  dim: number;
}

/**
 * Squared distances from every point to each row of `centres` (count × dim), a block of points at a
 * time: `onBlock(start, size, d2)` gets d2[b · count + j] for point start + b and centre j.
 */
async function distancesTo(p: Points, centres: Float64Array, count: number, pace: Pace, onBlock: (start: number, size: number, d2: Float64Array) => void): Promise<void> {
  const { x, norms, n, dim } = p;
  const centreNorms = squaredNorms(centres, count, dim);
  const d2 = new Float64Array(BLOCK * count);
  for (let start = 0; start < n; start += BLOCK) {
    const size = Math.min(BLOCK, n - start);
    rowDots(x, start, size, centres, 0, count, dim, d2);
    for (let b = 0; b < size; b++) {
      // Rounding can take the expansion slightly below zero for a point on its centre.
      for (let j = 0; j < count; j++) d2[b * count + j] = Math.max(0, norms[start + b] - 2 * d2[b * count + j] + centreNorms[j]);
    }
    onBlock(start, size, d2);
    await pace();
  }
}

function copyRow(from: Float64Array, row: number, to: Float64Array, toRow: number, dim: number): void {
  to.set(from.subarray(row * dim, (row + 1) * dim), toRow * dim);
}

/** First index whose cumulative weight exceeds `target`. */
function searchCumulative(cumulative: Float64Array, target: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid] > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Greedy k-means++ (as scikit-learn's): each new centre is the best, by the resulting potential, of
 * 2 + ⌊ln k⌋ candidates drawn in proportion to the squared distance to the nearest centre so far.
 */
async function kmeansPlusPlus(p: Points, k: number, rng: () => number, pace: Pace): Promise<Float64Array> {
  const { n, dim } = p;
  const centroids = new Float64Array(k * dim);
  copyRow(p.x, Math.floor(rng() * n), centroids, 0, dim);
  const closest = new Float64Array(n);
  await distancesTo(p, centroids, 1, pace, (start, size, d2) => closest.set(d2.subarray(0, size), start));
  const trials = 2 + Math.floor(Math.log(k));
  const candidates = new Float64Array(trials * dim);
  const candidateDistances = new Float64Array(trials * n);
  const cumulative = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) cumulative[i] = total += closest[i];
    // All points on centres already (fewer distinct points than k): any point will do.
    for (let t = 0; t < trials; t++) copyRow(p.x, total > 0 ? searchCumulative(cumulative, rng() * total) : Math.floor(rng() * n), candidates, t, dim);
    await distancesTo(p, candidates, trials, pace, (start, size, d2) => {
      for (let b = 0; b < size; b++) for (let t = 0; t < trials; t++) candidateDistances[t * n + start + b] = Math.min(closest[start + b], d2[b * trials + t]);
    });
    let best = 0;
    let bestPotential = Infinity;
    for (let t = 0; t < trials; t++) {
      let potential = 0;
      for (let i = 0; i < n; i++) potential += candidateDistances[t * n + i];
      if (potential < bestPotential) {
        bestPotential = potential;
        best = t;
      }
    }
    closest.set(candidateDistances.subarray(best * n, (best + 1) * n));
    copyRow(candidates, best, centroids, c, dim);
  }
  return centroids;
}

/** sums row c += x row i; unrolled, because V8 runs the plain loop at about half the speed. */
function addRow(x: Float64Array, i: number, sums: Float64Array, c: number, dim: number): void {
  const from = i * dim;
  const to = c * dim;
  let d = 0;
  for (; d + 4 <= dim; d += 4) {
    sums[to + d] += x[from + d];
    sums[to + d + 1] += x[from + d + 1];
    sums[to + d + 2] += x[from + d + 2];
    sums[to + d + 3] += x[from + d + 3];
  }
  for (; d < dim; d++) sums[to + d] += x[from + d];
}

/**
 * Gives each empty cluster the point farthest from its centroid, taken from a cluster that keeps at
 * least one point (as scikit-learn does), so that all k clusters stay in use. Such a point always
 * exists: k ≤ n, so while a cluster is empty another holds two or more, and a point passed over
 * because its cluster held one never becomes eligible later.
 */
function refillEmpty(p: Points, labels: Int32Array, distances: Float64Array, counts: Float64Array, sums: Float64Array, k: number): void {
  const { x, n, dim } = p;
  const empty = [];
  for (let c = 0; c < k; c++) if (counts[c] === 0) empty.push(c);
  if (!empty.length) return;
  const byDistance = Array.from({ length: n }, (_, i) => i).sort((a, b) => distances[b] - distances[a] || a - b);
  let next = 0;
  for (const c of empty) {
    while (counts[labels[byDistance[next]]] <= 1) next++;
    const i = byDistance[next++];
    const from = labels[i];
    counts[from]--;
    counts[c] = 1;
    labels[i] = c;
    distances[i] = 0;
    for (let d = 0; d < dim; d++) {
      sums[from * dim + d] -= x[i * dim + d];
      sums[c * dim + d] = x[i * dim + d];
    }
  }
}

/** Σ ‖x − c(x)‖², directly rather than by the expansion, which loses digits when x ≈ c. */
function inertiaOf(p: Points, labels: Int32Array, centroids: Float64Array): number {
  const { x, n, dim } = p;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const row = i * dim;
    const to = labels[i] * dim;
    for (let d = 0; d < dim; d++) total += (x[row + d] - centroids[to + d]) ** 2;
  }
  return total;
}

/** One seeded fit; undefined when `shouldStop` says so after an iteration. */
async function fitOnce(p: Points, k: number, seed: number, pace: Pace, shouldStop: () => boolean): Promise<{ labels: Int32Array; centroids: Float64Array; inertia: number; iterations: number } | undefined> {
  const { x, n, dim } = p;
  const centroids = await kmeansPlusPlus(p, k, createRng(seed), pace);
  const labels = new Int32Array(n).fill(-1);
  const distances = new Float64Array(n);
  const counts = new Float64Array(k);
  const sums = new Float64Array(k * dim);
  let iterations = 0;
  while (iterations < MAX_ITERATIONS) {
    let changed = 0;
    counts.fill(0);
    sums.fill(0);
    // The new sums are gathered while each block of points is still in cache from its dot products.
    await distancesTo(p, centroids, k, pace, (start, size, d2) => {
      for (let b = 0; b < size; b++) {
        const i = start + b;
        // A tie keeps the current cluster, so that duplicate points cannot swap clusters forever.
        let nearest = Math.max(0, labels[i]);
        for (let c = 0; c < k; c++) if (d2[b * k + c] < d2[b * k + nearest]) nearest = c;
        if (labels[i] !== nearest) changed++;
        labels[i] = nearest;
        distances[i] = d2[b * k + nearest];
        counts[nearest]++;
        addRow(x, i, sums, nearest, dim);
      }
    });
    iterations++;
    if (shouldStop()) return undefined;
    if (changed === 0) break; // the centroids are already the means of these assignments
    refillEmpty(p, labels, distances, counts, sums, k);
    for (let c = 0; c < k; c++) for (let d = 0; d < dim; d++) centroids[c * dim + d] = sums[c * dim + d] / counts[c];
  }
  return { labels, centroids, inertia: inertiaOf(p, labels, centroids), iterations };
}

/**
 * Runs `restarts` seeded k-means++ fits of the n × dim row-major `data` and keeps the one with the lowest
 * inertia. `shouldStop` is checked after every iteration and the event loop gets a turn at least every
 * 100 ms. Resolves undefined when stopped.
 */
export async function bestKMeans(data: Float32Array | Float64Array, n: number, dim: number, k: number, seed: number, restarts: number, shouldStop: () => boolean = () => false): Promise<KMeansFit | undefined> {
  if (!(k >= 1 && k <= n)) throw new Error(`K-means needs 1 ≤ k ≤ n points; got k = ${k}, n = ${n}`);
  if (data.length < n * dim) throw new Error(`K-means got ${data.length} values for ${n} × ${dim} points`);
  const x = data instanceof Float64Array ? data : Float64Array.from(data); // the kernel takes Float64Array only
  const p: Points = { x, norms: squaredNorms(x, n, dim), n, dim };
  const pace = pacer();
  let best: KMeansFit | undefined;
  const tried: KMeansFit['restarts'] = [];
  for (let r = 0; r < restarts; r++) {
    const fitSeed = seed * 1000 + r;
    const fit = await fitOnce(p, k, fitSeed, pace, shouldStop);
    if (!fit) return undefined;
    tried.push({ seed: fitSeed, inertia: fit.inertia, iterations: fit.iterations });
    if (!best || fit.inertia < best.inertia) {
      const centroids = Array.from({ length: k }, (_, c) => Array.from(fit.centroids.subarray(c * dim, (c + 1) * dim)));
      best = { clusters: Array.from(fit.labels), centroids, inertia: fit.inertia, restarts: tried, best: r };
    }
  }
  return best;
}
