/** Q2b's defaults, shared by the command line's `q2b` and `all` and the extension's "run missing parts". */
import type { DisNetConfig } from '../protocol';
export const DEFAULT_LAMBDA = 0.1;
export const DEFAULT_MODE = 'frozen' as const;
/** Fine-tuning (a) with the dis_net term settles within a few epochs; from scratch takes as long as (a). */
export const DEFAULT_SHARPEN_EPOCHS = 2;

/** The judge learns what dis_net learns (same blur, images and schedule) from its own seed. */
export const judgeConfigOf = (disNet: DisNetConfig): DisNetConfig => ({ ...disNet, seed: disNet.seed + 1 });
