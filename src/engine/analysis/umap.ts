/**
 * A 2-D UMAP of the latents, for an extra K-means row. Clustering a UMAP of autoencoder codes (the
 * "N2D" recipe) separates the digits far better than clustering the codes themselves; the report shows
 * it beside the literal answer, never instead of it.
 */
import { UMAP } from 'umap-js';
import { createRng } from '../random';

/** Fewer points than this give a neighbour graph too thin to mean anything. */
export const UMAP_MIN_POINTS = 100;

/**
 * The n × 2 embedding of the n × dim row-major `data`, flat, or undefined when `shouldStop` asks to
 * stop between optimisation epochs.
 */
export async function umap2(data: Float32Array | Float64Array, n: number, dim: number, seed: number, shouldStop: () => boolean): Promise<Float64Array | undefined> {
  // minDist 0 packs each cluster tightly, which is what K-means needs; the neighbour graph is the default's.
  const umap = new UMAP({ nComponents: 2, nNeighbors: 15, minDist: 0, random: createRng(seed) });
  const rows = Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * dim, (i + 1) * dim)));
  let stopped = false;
  // Returning false from the epoch callback ends the optimisation early.
  await umap.fitAsync(rows, () => !(stopped = shouldStop()));
  return stopped ? undefined : Float64Array.from(umap.getEmbedding().flat());
}
