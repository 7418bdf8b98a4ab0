/**
 * The report's manifold figure: the 2-D run's decoder over the rectangle of its test codes, decoded
 * as the explorer decodes it, tiled into one image (dark ink on white) for the scatter to be drawn on.
 */
import * as path from 'node:path';
import type { Canvas } from '@napi-rs/canvas';
import { BackendPreference } from '../../shared/backends';
import { MAX_MANIFOLD_SIDE, extentOf, tileDigits } from '../../shared/explore';
import { explore } from '../explore/explore';
import { napiCanvas } from './canvas';
import { AnalysedAutoencoder } from './inputs';

export interface DecodedManifold {
  run: AnalysedAutoencoder;
  n: number;
  x: [number, number];
  y: [number, number];
  /** n×n packed 28×28 grey bytes, the top row first. */
  images: Uint8Array;
}

/** The L=2 run's manifold, when the report has a 2-D run with its points. */
export async function decodedManifold(runs: AnalysedAutoencoder[], backend: BackendPreference): Promise<DecodedManifold | undefined> {
  const run = runs.find((r) => r.analysis.latent === 2 && r.points);
  if (!run) return undefined;
  const { x, y } = extentOf(run.points!.xy);
  const n = MAX_MANIFOLD_SIDE;
  const result = await explore(path.dirname(run.item.dir), run.item.run.id, { kind: 'manifold', n, x, y }, backend);
  return { run, n, x, y, images: new Uint8Array(Buffer.from(result.images, 'base64')) };
}

export function manifoldImage(decoded: DecodedManifold): Canvas {
  const { createCanvas } = napiCanvas();
  const side = 28 * decoded.n;
  const canvas = createCanvas(side, side);
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(side, side);
  tileDigits(decoded.images, decoded.n).forEach((ink, p) => {
    image.data[4 * p] = image.data[4 * p + 1] = image.data[4 * p + 2] = 255 - ink;
    image.data[4 * p + 3] = 255;
  });
  ctx.putImageData(image, 0, 0);
  return canvas;
}
