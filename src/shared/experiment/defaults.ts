/**
 * Every default of the experiment, in one place: the palette, the settings and the command line fill
 * overrides over these (overrides.ts) and hold none of their own.
 */
import type { AdversarialConfig, AutoencoderConfig, BlurConfig, DisNetConfig, SharpenMode } from '../jobs/specs';

/** Q2a's latent sizes, and so the report's. */
export const Q2A_LATENTS = [2, 16, 256] as const;

/** Q2a trains three models: 6 epochs each keeps all three, analysed, under 10 minutes on 2 cores. */
export const DEFAULT_AUTOENCODER: AutoencoderConfig = {
  architecture: 'dense',
  latent: 16,
  epochs: 6,
  batchSize: 256,
  learningRate: 0.003,
  warmupSteps: 300,
  outputInit: 'meanImage',
  trainImages: 60000,
  testImages: 10000,
  seed: 1,
};

export const DEFAULT_BLUR: BlurConfig = { sigma: 1, kernelSize: 0 };

/** dis_net's training: two epochs on clear against blurred images (the judge's too, from its own seed). */
export const DEFAULT_DISNET: DisNetConfig = {
  blur: DEFAULT_BLUR,
  epochs: 2,
  batchSize: 256,
  learningRate: 0.001,
  trainImages: 60000,
  testImages: 10000,
  seed: 1,
};

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

/** The report folder's name, in the workspace or wherever --out points. */
export const REPORT_FOLDER = 'assignment2-report';
