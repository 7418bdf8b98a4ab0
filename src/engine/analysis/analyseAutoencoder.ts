/**
 * Q2a analysis of a trained autoencoder on the test set: latents, K-means on them, a 2-D view,
 * reconstruction error per digit, sharpness, digit confusions introduced by reconstruction, and
 * observations written from those figures. Writes analysis.json, points.json and reconstructions.png.
 */
import * as path from 'node:path';
import * as tfl from '@tensorflow/tfjs-layers';
import { AutoencoderAnalysis, KMeansScores, LatentPoints, PixelBaseline } from '../../runs/schema';
import { ANALYSIS_FILE, POINTS_FILE, RECONSTRUCTIONS_PNG } from '../../runs/files';
import { writeFileAtomic } from '../../runs/store';
import { IMAGE_SIZE, MnistSplit } from '../data/mnist';
import { encodeGreyPng, imageGrid } from '../images/png';
import { describeArchitecture } from '../training/autoencoderModel';
import { meanClearScore, runAutoencoder } from '../training/inference';
import { bestKMeans } from './kmeans';
import { scoreClustering } from './metrics';
import { pca2 } from './pca';
import { meanGradientMagnitude } from './sharpness';
import { UMAP_MIN_POINTS, umap2 } from './umap';

export const KMEANS_RESTARTS = 5;

export class AnalysisCancelled extends Error {}

/** The first two test digits of each class: the same 20 images in every grid and snapshot. */
export function gridIndices(labels: Uint8Array): number[] {
  const picked: number[] = [];
  for (let digit = 0; digit < 10; digit++) {
    let found = 0;
    for (let i = 0; i < labels.length && found < 2; i++) {
      if (labels[i] === digit) {
        picked.push(i);
        found++;
      }
    }
  }
  return picked;
}

export function toBytes(images: Float32Array): Uint8Array {
  return Uint8Array.from(images, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
}

/** K-means on a 2-D UMAP of the latents. */
async function umapKMeans(latents: Float32Array, test: MnistSplit, latent: number, seed: number, shouldStop: () => boolean): Promise<KMeansScores> {
  const embedding = await umap2(latents, test.count, latent, seed, shouldStop);
  if (!embedding) throw new AnalysisCancelled('cancelled during UMAP');
  return (await kmeansScores({ data: embedding, dim: 2 }, test.labels, seed, shouldStop)).scores;
}

/** K-means with k = 10 on one row-major point per label. */
export async function kmeansScores(points: { data: Float32Array | Float64Array; dim: number }, labels: Uint8Array, seed: number, shouldStop: () => boolean): Promise<{ scores: KMeansScores; clusters: number[] }> {
  const fit = await bestKMeans(points.data, labels.length, points.dim, 10, seed, KMEANS_RESTARTS, shouldStop);
  if (!fit) throw new AnalysisCancelled('cancelled during K-means');
  const s = scoreClustering(fit.clusters, labels, 10, 10);
  return {
    scores: { k: 10, contingency: s.contingency, purity: s.purity, nmi: s.nmi, ari: s.ari, accuracy: s.accuracy, inertia: fit.inertia, restarts: KMEANS_RESTARTS },
    clusters: fit.clusters,
  };
}

/** K-means on the raw test pixels (the baseline); the slowest K-means (20–30 s on 2 cores), so callers cache it. */
export async function pixelBaseline(test: MnistSplit, seed: number, shouldStop: () => boolean): Promise<PixelBaseline> {
  const { scores } = await kmeansScores({ data: test.images, dim: IMAGE_SIZE }, test.labels, seed, shouldStop);
  return { testImages: test.count, seed, kmeans: scores };
}

/** Class means of the training images: a simple, fixed judge of which digit an image looks like. */
function classMeans(train: MnistSplit): Float64Array {
  const means = new Float64Array(10 * IMAGE_SIZE);
  const counts = new Array<number>(10).fill(0);
  for (let i = 0; i < train.count; i++) {
    const label = train.labels[i];
    counts[label]++;
    for (let p = 0; p < IMAGE_SIZE; p++) means[label * IMAGE_SIZE + p] += train.images[i * IMAGE_SIZE + p];
  }
  for (let c = 0; c < 10; c++) for (let p = 0; p < IMAGE_SIZE; p++) means[c * IMAGE_SIZE + p] /= Math.max(1, counts[c]);
  return means;
}

function nearestMean(images: Float32Array, index: number, means: Float64Array): number {
  let best = 0;
  let bestDistance = Infinity;
  for (let c = 0; c < 10; c++) {
    let d = 0;
    for (let p = 0; p < IMAGE_SIZE; p++) d += (images[index * IMAGE_SIZE + p] - means[c * IMAGE_SIZE + p]) ** 2;
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return best;
}

function confusions(test: MnistSplit, recon: Float32Array, means: Float64Array): AutoencoderAnalysis['confusions'] {
  let originalRight = 0;
  let reconRight = 0;
  let changed = 0;
  const pairs = new Map<string, number>();
  for (let i = 0; i < test.count; i++) {
    const original = nearestMean(test.images, i, means);
    const rebuilt = nearestMean(recon, i, means);
    if (original === test.labels[i]) originalRight++;
    if (rebuilt === test.labels[i]) reconRight++;
    if (rebuilt !== original) {
      changed++;
      if (original === test.labels[i]) pairs.set(`${original}>${rebuilt}`, (pairs.get(`${original}>${rebuilt}`) ?? 0) + 1);
    }
  }
  const top = [...pairs.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([key, count]) => ({ from: Number(key[0]), to: Number(key[2]), count }));
  return { originalAccuracy: originalRight / test.count, reconstructionAccuracy: reconRight / test.count, changed: changed / test.count, top };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function observe(a: Omit<AutoencoderAnalysis, 'observations'>, baseline?: PixelBaseline): string[] {
  const notes: string[] = [];
  const ratio = a.sharpness.ratio;
  notes.push(
    ratio < 0.9
      ? `The reconstructions are blurred: they keep ${pct(ratio)} of the originals' edge strength (sharpness ratio ${ratio.toFixed(2)}).`
      : ratio > 1.1
        ? `The reconstructions have stronger edges than the originals (sharpness ratio ${ratio.toFixed(2)}): noise or over-sharpened strokes.`
        : `The reconstructions are about as sharp as the originals (sharpness ratio ${ratio.toFixed(2)}).`,
  );
  const byError = a.perDigitL1.map((l1, digit) => ({ digit, l1 })).sort((x, y) => y.l1 - x.l1);
  notes.push(
    `Hardest digits to reconstruct: ${byError.slice(0, 2).map((d) => `${d.digit} (L1 ${d.l1.toFixed(3)})`).join(', ')}; easiest: ${byError.at(-1)!.digit} (L1 ${byError.at(-1)!.l1.toFixed(3)}).`,
  );
  const c = a.confusions;
  notes.push(
    `A nearest-class-mean classifier labels ${pct(c.changed)} of the reconstructions differently from their originals` +
      (c.top.length ? `, most often ${c.top.slice(0, 3).map((p) => `${p.from}→${p.to} (${p.count})`).join(', ')}` : '') +
      `; it is right on ${pct(c.reconstructionAccuracy)} of reconstructions against ${pct(c.originalAccuracy)} of originals.`,
  );
  if (baseline) {
    const k = a.kmeans;
    const b = baseline.kmeans;
    const verdict = k.accuracy > b.accuracy && k.nmi > b.nmi ? 'better than' : k.accuracy < b.accuracy && k.nmi < b.nmi ? 'worse than' : 'mixed against';
    notes.push(
      `K-means on the ${a.latent}-D latents is ${verdict} K-means on raw pixels: accuracy ${k.accuracy.toFixed(3)} vs ${b.accuracy.toFixed(3)}, NMI ${k.nmi.toFixed(3)} vs ${b.nmi.toFixed(3)}.`,
    );
  }
  return notes;
}

export interface AnalysisInput {
  /** Q2b: the dis_net that scores how clear the reconstructions look. */
  disNet?: tfl.LayersModel;
  /** Also cluster a 2-D UMAP of the latents (the extra row of Q2a's K-means table). */
  umap: boolean;
  model: tfl.LayersModel;
  latent: number;
  seed: number;
  train: MnistSplit;
  test: MnistSplit;
  dir: string;
  baseline?: PixelBaseline;
  signal: AbortSignal;
}

export async function analyseAutoencoder(input: AnalysisInput): Promise<AutoencoderAnalysis> {
  const { model, latent, test, dir, signal } = input;
  const pass = await runAutoencoder(model, test.images, test.count, { images: true, latents: true });
  const [latents, recon] = [pass.latents!, pass.images!];

  const perDigit = new Array<number>(10).fill(0);
  const perDigitCount = new Array<number>(10).fill(0);
  let total = 0;
  for (let i = 0; i < test.count; i++) {
    let sum = 0;
    for (let p = 0; p < IMAGE_SIZE; p++) sum += Math.abs(recon[i * IMAGE_SIZE + p] - test.images[i * IMAGE_SIZE + p]);
    total += sum;
    perDigit[test.labels[i]] += sum / IMAGE_SIZE;
    perDigitCount[test.labels[i]]++;
  }

  const originalsSharpness = meanGradientMagnitude(test.images, test.count);
  const reconSharpness = meanGradientMagnitude(recon, test.count);
  const { scores, clusters } = await kmeansScores({ data: latents, dim: latent }, test.labels, input.seed, () => signal.aborted);
  const projection = latent === 2 ? { xy: Float64Array.from(latents), explained: undefined } : pca2(latents, test.count, latent);

  const base: Omit<AutoencoderAnalysis, 'observations'> = {
    latent,
    testImages: test.count,
    architecture: describeArchitecture(model),
    testL1: total / (test.count * IMAGE_SIZE),
    perDigitL1: perDigit.map((s, d) => s / Math.max(1, perDigitCount[d])),
    sharpness: { reconstructions: reconSharpness, originals: originalsSharpness, ratio: reconSharpness / originalsSharpness },
    disNetClearScore: input.disNet ? await meanClearScore(input.disNet, recon, test.count) : undefined,
    kmeans: scores,
    kmeansUmap: input.umap && latent > 2 && test.count >= UMAP_MIN_POINTS ? await umapKMeans(latents, test, latent, input.seed, () => signal.aborted) : undefined,
    projection: { method: latent === 2 ? 'latent' : 'pca', explained: projection.explained },
    confusions: confusions(test, recon, classMeans(input.train)),
  };
  const analysis: AutoencoderAnalysis = { ...base, observations: observe(base, input.baseline) };

  const points: LatentPoints = {
    labels: Array.from(test.labels),
    clusters,
    xy: Array.from(projection.xy, (v) => Math.round(v * 1e4) / 1e4),
  };
  const indices = gridIndices(test.labels);
  const grid = imageGrid([
    indices.map((i) => toBytes(test.images.subarray(i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE))),
    indices.map((i) => toBytes(recon.subarray(i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE))),
  ]);
  writeFileAtomic(path.join(dir, RECONSTRUCTIONS_PNG), encodeGreyPng(grid.pixels, grid.width, grid.height));
  writeFileAtomic(path.join(dir, POINTS_FILE), JSON.stringify(LatentPoints.parse(points)));
  writeFileAtomic(path.join(dir, ANALYSIS_FILE), JSON.stringify(AutoencoderAnalysis.parse(analysis), null, 1));
  return analysis;
}
