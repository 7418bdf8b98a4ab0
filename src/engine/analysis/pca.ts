/**
 * The first two principal components of a point cloud, by power iteration with deflation on the
 * covariance matrix: deterministic, no dependency, fast enough for 10,000 × 256.
 */

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
  const cov = new Float64Array(dim * dim);
  const row = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < dim; d++) row[d] = data[i * dim + d] - mean[d];
    for (let a = 0; a < dim; a++) {
      const ra = row[a];
      if (ra === 0) continue;
      for (let b = a; b < dim; b++) cov[a * dim + b] += ra * row[b];
    }
  }
  for (let a = 0; a < dim; a++) {
    for (let b = a; b < dim; b++) {
      cov[a * dim + b] /= n - 1;
      cov[b * dim + a] = cov[a * dim + b];
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
