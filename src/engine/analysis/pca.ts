/**
 * The first two principal components of a point cloud: the covariance matrix (blocked dot products),
 * then its exact eigendecomposition. Deterministic, and fast enough for 10,000 × 256.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
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

/**
 * The two leading eigenvectors of the symmetric covariance, exactly (Householder tridiagonalisation and
 * QL, ml-matrix), each signed so that its largest component is positive: the same data always gives
 * the same picture, not its mirror image.
 */
function leadingAxes(cov: Float64Array, dim: number): { vector: Float64Array; value: number }[] {
  const rows = Array.from({ length: dim }, (_, a) => Array.from(cov.subarray(a * dim, (a + 1) * dim)));
  const eig = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const values = eig.realEigenvalues;
  const vectors = eig.eigenvectorMatrix;
  const order = values.map((_, i) => i).sort((i, j) => values[j] - values[i]);
  return [0, 1].map((rank) => {
    const column = order[rank];
    if (column === undefined) return { vector: new Float64Array(dim), value: 0 };
    const vector = Float64Array.from(vectors.getColumn(column));
    const largest = vector.reduce((best, x, i) => (Math.abs(x) > Math.abs(vector[best]) ? i : best), 0);
    if (vector[largest] < 0) for (let i = 0; i < dim; i++) vector[i] = -vector[i];
    return { vector, value: Math.max(0, values[column]) };
  });
}

export function pca2(data: Float32Array, n: number, dim: number): Projection2D {
  const { cov, mean } = covariance(data, n, dim);
  let trace = 0;
  for (let d = 0; d < dim; d++) trace += cov[d * dim + d];
  const [first, second] = leadingAxes(cov, dim);
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
