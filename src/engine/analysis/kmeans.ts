/** K-means with ml-kmeans: k-means++ initialisation, seeded, best of several restarts by inertia. */
import { kmeansGenerator } from 'ml-kmeans';

export interface KMeansFit {
  clusters: number[];
  centroids: number[][];
  inertia: number;
  /** Inertia of every restart, best marked by `best`. */
  restarts: { seed: number; inertia: number; iterations: number }[];
  best: number;
}

/** Rows of a flat row-major array, as ml-kmeans wants them. */
export function rowsOf(data: Float32Array | Float64Array, n: number, dim: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * dim, (i + 1) * dim)));
}

function inertiaOf(rows: number[][], clusters: number[], centroids: number[][]): number {
  let total = 0;
  for (let i = 0; i < rows.length; i++) {
    const c = centroids[clusters[i]];
    const row = rows[i];
    for (let d = 0; d < row.length; d++) total += (row[d] - c[d]) ** 2;
  }
  return total;
}

/** The event loop gets a turn this often during a fit, so that heartbeats and cancel requests go through. */
const YIELD_EVERY_MS = 100;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs `restarts` seeded k-means++ fits and keeps the one with the lowest inertia. Each fit goes one
 * iteration at a time (the same result as a single call), so `shouldStop` is checked after every
 * iteration and the event loop is never held for long. Resolves undefined when stopped.
 */
export async function bestKMeans(rows: number[][], k: number, seed: number, restarts: number, shouldStop: () => boolean = () => false): Promise<KMeansFit | undefined> {
  let best: KMeansFit | undefined;
  const tried: KMeansFit['restarts'] = [];
  let lastYield = performance.now();
  for (let r = 0; r < restarts; r++) {
    const fitSeed = seed * 1000 + r;
    let fit: { clusters: number[]; centroids: number[][]; iterations: number } | undefined;
    for (const step of kmeansGenerator(rows, k, { initialization: 'kmeans++', seed: fitSeed, maxIterations: 200 })) {
      fit = step;
      if (performance.now() - lastYield > YIELD_EVERY_MS) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
      if (shouldStop()) return undefined;
    }
    if (!fit) throw new Error('k-means produced no iteration');
    const inertia = inertiaOf(rows, fit.clusters, fit.centroids);
    tried.push({ seed: fitSeed, inertia, iterations: fit.iterations });
    if (!best || inertia < best.inertia) best = { clusters: fit.clusters, centroids: fit.centroids, inertia, restarts: tried, best: r };
  }
  return best && { ...best, restarts: tried };
}
