/**
 * The first two principal components of a point cloud, by power iteration with deflation on the
 * covariance matrix: deterministic, no dependency, fast enough for 10,000 × 256.
 */
import { rowDots } from './dots';

export interface Projection2D {
  /** x0, y0, x1, y1, … */
  xy: Float64Array;
  /** Fraction of the total variance along each of the two axes. */
  explained: [number, number];
}

function covariance(data: Float32Array, n: number, dim: number): { cov: Float64Array; mean: Float64Array } {
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) mean[d] += data[i * dim + d];
  for (let d = 0; d < dim; d++) mean[d] /= n;
  // Centred and transposed (dim × n): the covariance is then the dot products of its rows.
  const centred = new Float64Array(dim * n);
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) centred[d * n + i] = data[i * dim + d] - mean[d];
  const cov = new Float64Array(dim * dim);
  const strip = new Float64Array(4 * dim);
  // Each group of four rows against itself and the rows after it: the upper triangle, mirrored.
  for (let a = 0; a < dim; a += 4) {
    const rows = Math.min(4, dim - a);
    const width = dim - a;
    rowDots(centred, a, rows, centred, a, width, n, strip);
    for (let r = 0; r < rows; r++) {
      for (let b = a + r; b < dim; b++) {
        const c = strip[r * width + b - a] / (n - 1);
        cov[(a + r) * dim + b] = c;
        cov[b * dim + a + r] = c;
      }
    }
  }
  return { cov, mean };
}

function topEigenvector(m: Float64Array, dim: number): { vector: Float64Array; value: number } {
  let v = new Float64Array(dim).map((_, i) => 1 + i / dim); // fixed start: reproducible
  let value = 0;
  for (let iter = 0; iter < 500; iter++) {
    const next = new Float64Array(dim);
    for (let a = 0; a < dim; a++) {
      let s = 0;
      for (let b = 0; b < dim; b++) s += m[a * dim + b] * v[b];
      next[a] = s;
    }
    const norm = Math.hypot(...next);
    if (norm === 0) break;
    for (let a = 0; a < dim; a++) next[a] /= norm;
    const change = next.reduce((s, x, a) => s + Math.abs(x - v[a]), 0);
    v = next;
    value = norm;
    if (change < 1e-10) break;
  }
  return { vector: v, value };
}

export function pca2(data: Float32Array, n: number, dim: number): Projection2D {
  const { cov, mean } = covariance(data, n, dim);
  let trace = 0;
  for (let d = 0; d < dim; d++) trace += cov[d * dim + d];
  const first = topEigenvector(cov, dim);
  const deflated = cov.map((c, idx) => c - first.value * first.vector[Math.floor(idx / dim)] * first.vector[idx % dim]);
  const second = dim > 1 ? topEigenvector(deflated, dim) : { vector: new Float64Array(dim), value: 0 };
  const xy = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    let p = 0;
    let q = 0;
    for (let d = 0; d < dim; d++) {
      const centred = data[i * dim + d] - mean[d];
      p += centred * first.vector[d];
      q += centred * second.vector[d];
    }
    xy[2 * i] = p;
    xy[2 * i + 1] = q;
  }
  return { xy, explained: [trace ? first.value / trace : 0, trace ? second.value / trace : 0] };
}
