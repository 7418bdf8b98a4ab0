/**
 * Autoencoder collapse: a dense autoencoder with a sigmoid output trained with L1 can settle on the
 * per-pixel median image (nearly black) for every input, since that is where L1 is flat for a model
 * that ignores its input. Two signs together call it: the reconstructions hardly differ from one image
 * to the next, and test L1 is about that of always drawing the median image.
 */
import { EpochMetrics, isAutoencoderEpoch } from '../../runs/schema';

/** Reconstructions vary less than this share of the originals' variation between images. */
export const COLLAPSE_SPREAD = 0.1;
/** Test L1 is at least this share of the best constant image's. */
export const COLLAPSE_L1_SHARE = 0.9;

export interface CollapseSigns {
  testL1: number;
  /** Mean over pixels of the standard deviation across test images, reconstructions over originals. */
  outputSpread: number;
  /** Test L1 of always drawing the per-pixel median test image: the best any constant image does. */
  constantL1: number;
}

/** Why the model counts as collapsed, or undefined when it does not. */
export function collapseReason({ testL1, outputSpread, constantL1 }: CollapseSigns): string | undefined {
  if (outputSpread >= COLLAPSE_SPREAD || testL1 < COLLAPSE_L1_SHARE * constantL1) return undefined;
  return (
    `collapsed: the reconstructions vary ${(100 * outputSpread).toFixed(1)}% as much as the originals between images, ` +
    `and test L1 ${testL1.toFixed(4)} is no more than ${Math.round(100 * (1 - COLLAPSE_L1_SHARE))}% below that of drawing the same median image every time (${constantL1.toFixed(4)})`
  );
}

/** Why a run's autoencoder draws the same image for every input as of its last epoch, if it does. */
export function lastCollapse(metrics: EpochMetrics[]): string | undefined {
  return metrics.filter(isAutoencoderEpoch).at(-1)?.collapse;
}
