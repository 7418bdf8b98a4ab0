/**
 * Clustering metrics against the true digits: contingency table, purity, normalised mutual information
 * (arithmetic-mean normalisation, as scikit-learn's default), adjusted Rand index, and accuracy under
 * the best one-to-one matching of clusters to classes (Hungarian algorithm).
 */

export interface ClusteringScores {
  /** contingency[cluster][class] = number of points. */
  contingency: number[][];
  purity: number;
  nmi: number;
  ari: number;
  accuracy: number;
  /** matching[cluster] = the class it is matched to (-1 if there are more clusters than classes). */
  matching: number[];
}

export function contingencyTable(clusters: ArrayLike<number>, classes: ArrayLike<number>, k: number, c: number): number[][] {
  const table = Array.from({ length: k }, () => new Array<number>(c).fill(0));
  for (let i = 0; i < clusters.length; i++) table[clusters[i]][classes[i]]++;
  return table;
}

function entropy(counts: number[], n: number): number {
  let h = 0;
  for (const count of counts) if (count > 0) h -= (count / n) * Math.log(count / n);
  return h;
}

const choose2 = (x: number) => (x * (x - 1)) / 2;

/**
 * Minimum-cost assignment of rows to columns for a square cost matrix (Kuhn–Munkres with potentials,
 * O(n³)). Returns assignment[row] = column.
 */
export function hungarian(cost: number[][]): number[] {
  const n = cost.length;
  const u = new Array<number>(n + 1).fill(0);
  const v = new Array<number>(n + 1).fill(0);
  const p = new Array<number>(n + 1).fill(0); // p[column] = row matched to it (1-based, 0 = none)
  const way = new Array<number>(n + 1).fill(0);
  for (let row = 1; row <= n; row++) {
    p[0] = row;
    let col0 = 0;
    const minv = new Array<number>(n + 1).fill(Infinity);
    const used = new Array<boolean>(n + 1).fill(false);
    do {
      used[col0] = true;
      const row0 = p[col0];
      let delta = Infinity;
      let col1 = 0;
      for (let col = 1; col <= n; col++) {
        if (used[col]) continue;
        const reduced = cost[row0 - 1][col - 1] - u[row0] - v[col];
        if (reduced < minv[col]) {
          minv[col] = reduced;
          way[col] = col0;
        }
        if (minv[col] < delta) {
          delta = minv[col];
          col1 = col;
        }
      }
      for (let col = 0; col <= n; col++) {
        if (used[col]) {
          u[p[col]] += delta;
          v[col] -= delta;
        } else {
          minv[col] -= delta;
        }
      }
      col0 = col1;
    } while (p[col0] !== 0);
    do {
      const col1 = way[col0];
      p[col0] = p[col1];
      col0 = col1;
    } while (col0 !== 0);
  }
  const assignment = new Array<number>(n).fill(-1);
  for (let col = 1; col <= n; col++) if (p[col] > 0) assignment[p[col] - 1] = col - 1;
  return assignment;
}

export function scoreClustering(clusters: ArrayLike<number>, classes: ArrayLike<number>, k: number, c: number): ClusteringScores {
  const n = clusters.length;
  const contingency = contingencyTable(clusters, classes, k, c);
  const clusterSizes = contingency.map((row) => row.reduce((a, b) => a + b, 0));
  const classSizes = Array.from({ length: c }, (_, j) => contingency.reduce((s, row) => s + row[j], 0));

  const purity = contingency.reduce((s, row) => s + Math.max(...row), 0) / n;

  let mutualInformation = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < c; j++) {
      const nij = contingency[i][j];
      if (nij > 0) mutualInformation += (nij / n) * Math.log((n * nij) / (clusterSizes[i] * classSizes[j]));
    }
  }
  const hClusters = entropy(clusterSizes, n);
  const hClasses = entropy(classSizes, n);
  const nmi = hClusters + hClasses === 0 ? 1 : (2 * mutualInformation) / (hClusters + hClasses);

  const index = contingency.flat().reduce((s, nij) => s + choose2(nij), 0);
  const sumA = clusterSizes.reduce((s, a) => s + choose2(a), 0);
  const sumB = classSizes.reduce((s, b) => s + choose2(b), 0);
  const expected = (sumA * sumB) / choose2(n);
  const maxIndex = (sumA + sumB) / 2;
  const ari = maxIndex === expected ? 1 : (index - expected) / (maxIndex - expected);

  // Square the table with empty rows or columns, then maximise matches = minimise their negation.
  const size = Math.max(k, c);
  const cost = Array.from({ length: size }, (_, i) => Array.from({ length: size }, (_, j) => -(contingency[i]?.[j] ?? 0)));
  const assignment = hungarian(cost);
  const matched = assignment.reduce((s, j, i) => s + (i < k && j < c ? contingency[i][j] : 0), 0);
  const matching = assignment.slice(0, k).map((j) => (j < c ? j : -1));
  return { contingency, purity, nmi, ari, accuracy: matched / n, matching };
}
