/**
 * The files a training job writes besides its metrics and models: the reconstruction snapshots after
 * each epoch, dis_net's clear and blurred samples, and the raw-pixel K-means baseline cached beside
 * the runs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { DisNetConfig } from '../../shared/jobs/specs';
import { BlurSamples, PixelBaseline, ReconstructionSnapshots } from '../../runs/schema';
import { BLUR_SAMPLES_FILE, BLUR_SAMPLES_PNG, SNAPSHOTS_FILE, pixelBaselineFile, readPixelBaseline } from '../../runs/files';
import { writeFileAtomic } from '../../runs/store';
import { gridIndices, pixelBaseline, toBytes } from '../analysis/analyseAutoencoder';
import { blurImages } from '../data/blur';
import { IMAGE_SIZE, MnistSplit } from '../data/mnist';
import { encodeGreyPng, imageGrid } from '../images/png';
import { runAutoencoder } from '../training/inference';
import { JobContext, logInfo } from './jobContext';

/** The raw-pixel K-means baseline, from the cache beside the runs or computed (slowly) once. */
export async function cachedPixelBaseline(ctx: JobContext, test: MnistSplit, seed: number): Promise<PixelBaseline> {
  const file = pixelBaselineFile(ctx.runsDir, test.count, seed);
  const cached = readPixelBaseline(file);
  if (cached) return cached;
  logInfo(ctx, `K-means on the raw pixels of ${test.count} test images (the baseline, computed once)`);
  const baseline = await pixelBaseline(test, seed, () => ctx.signal.aborted);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, JSON.stringify(baseline));
  return baseline;
}

/** The grid digits (two per class) of a test split, as one buffer of images. */
function gridImages(test: MnistSplit): { indices: number[]; images: Float32Array } {
  const indices = gridIndices(test.labels);
  const images = new Float32Array(indices.length * IMAGE_SIZE);
  indices.forEach((i, k) => images.set(test.images.subarray(i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE), k * IMAGE_SIZE));
  return { indices, images };
}

/**
 * Snapshots of the grid digits' reconstructions after every epoch, for the Reconstructions view. A
 * resumed run (`resumedAfter`: its checkpoint's epoch) keeps the snapshots on disk up to that epoch;
 * a snapshot file it cannot read is a problem to report, so it is an error rather than overwritten.
 */
export function snapshotWriter(dir: string, test: MnistSplit, resumedAfter?: number): (epoch: number, model: tfl.LayersModel) => Promise<void> {
  const file = path.join(dir, SNAPSHOTS_FILE);
  const { indices, images: originals } = gridImages(test);
  const snapshots: ReconstructionSnapshots = {
    indices,
    labels: indices.map((i) => test.labels[i]),
    originals: Buffer.from(toBytes(originals)).toString('base64'),
    epochs: resumedAfter ? snapshotsThrough(file, resumedAfter) : [],
  };
  return async (epoch, model) => {
    const { images } = await runAutoencoder(model, originals, indices.length, { images: true });
    snapshots.epochs.push({ epoch, images: Buffer.from(toBytes(images!)).toString('base64') });
    writeFileAtomic(file, JSON.stringify(snapshots));
  };
}

/** The snapshots on disk of the epochs up to `epoch` (none if there is no file yet). */
function snapshotsThrough(file: string, epoch: number): ReconstructionSnapshots['epochs'] {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new Error(`${file} cannot be read as JSON: ${(err as Error).message}`);
  }
  const parsed = ReconstructionSnapshots.safeParse(json);
  if (!parsed.success) throw new Error(`${file} does not hold reconstruction snapshots: ${parsed.error.issues[0].path.join('.') || 'root'}: ${parsed.error.issues[0].message}`);
  return parsed.data.epochs.filter((e) => e.epoch <= epoch);
}

/** The grid digits clear and blurred, as JSON for the panel and as a PNG (clear row above blurred). */
export async function writeBlurSamples(dir: string, test: MnistSplit, config: DisNetConfig): Promise<void> {
  const { indices, images: clear } = gridImages(test);
  const blurredTensor = tf.tidy(() => blurImages(tf.tensor2d(clear, [indices.length, IMAGE_SIZE]), config.blur));
  const blurred = Float32Array.from(await blurredTensor.data());
  blurredTensor.dispose();
  const [clearBytes, blurredBytes] = [toBytes(clear), toBytes(blurred)];
  const samples: BlurSamples = {
    indices,
    labels: indices.map((i) => test.labels[i]),
    clear: Buffer.from(clearBytes).toString('base64'),
    blurred: Buffer.from(blurredBytes).toString('base64'),
  };
  writeFileAtomic(path.join(dir, BLUR_SAMPLES_FILE), JSON.stringify(samples));
  const at = (bytes: Uint8Array) => indices.map((_, k) => bytes.subarray(k * IMAGE_SIZE, (k + 1) * IMAGE_SIZE));
  const grid = imageGrid([at(clearBytes), at(blurredBytes)]);
  writeFileAtomic(path.join(dir, BLUR_SAMPLES_PNG), encodeGreyPng(grid.pixels, grid.width, grid.height));
}
