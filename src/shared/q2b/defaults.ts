/** Q2b's defaults, shared by the command line's `q2b` and `all` and the extension's "run missing parts". */
import type { AdversarialConfig, DisNetConfig, SharpenMode } from '../jobs/specs';

/** What a mode adds to (b)'s configuration besides dis_net and the run it starts from. */
export type SharpenRecipe = Omit<AdversarialConfig, 'disNetRunId' | 'initRunId'>;

/**
 * frozen: the assignment's literal recipe, λ = 0.1 against the dis_net as trained.
 * alternating: dis_net keeps learning, with (b)'s reconstructions as "not clear". At λ = 0.1 and dis_net
 * updated at the autoencoder's rate, dis_net wins within an epoch and the autoencoder collapses onto one
 * image; a term 20× weaker (0.005), a 10× slower dis_net and "clear" labels of 0.9 keep the two in balance.
 */
export const DEFAULT_RECIPES: Record<SharpenMode, SharpenRecipe> = {
  frozen: { lambda: 0.1, mode: 'frozen' },
  alternating: { lambda: 0.005, mode: 'alternating', disNetLearningRate: 0.0003, clearLabel: 0.9 },
};
/** Fine-tuning (a) with the dis_net term settles within a few epochs; from scratch takes as long as (a). */
export const DEFAULT_SHARPEN_EPOCHS = 2;

/** The judge learns what dis_net learns (same blur, images and schedule) from its own seed. */
export const judgeConfigOf = (disNet: DisNetConfig): DisNetConfig => ({ ...disNet, seed: disNet.seed + 1 });
