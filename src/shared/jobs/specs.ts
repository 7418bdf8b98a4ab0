/** The configurations of the engine's jobs, as the front ends send them and run.json records them. */
import { z, finite, positiveInt } from '../zod';
import { Q1Params } from '../q1/params';

export const ARCHITECTURES = ['dense', 'conv'] as const;

export const SHARPEN_MODES = ['frozen', 'alternating'] as const;
export type SharpenMode = (typeof SHARPEN_MODES)[number];

/**
 * Q2b: train with L1 + lambda × binary cross-entropy of dis_net's "clear" score on the reconstruction.
 * 'frozen' keeps dis_net fixed (the assignment's literal recipe); 'alternating' also updates a copy of
 * it after every step, with reconstructions as "not clear" beside blurred images, at its own rate and
 * with "clear" labels smoothed to clearLabel (both required in that mode, absent in the other).
 */
export const AdversarialFields = z.object({
  disNetRunId: z.string().regex(/^[\w.-]+$/),
  lambda: finite().min(0).max(100),
  mode: z.enum(SHARPEN_MODES),
  /** Start from this Q2a run's weights instead of a fresh initialisation. */
  initRunId: z.string().regex(/^[\w.-]+$/).optional(),
  /** Alternating: Adam's rate for the dis_net updates. */
  disNetLearningRate: finite().gt(0).max(1).optional(),
  /** Alternating: the target for clear images in those updates (1: none; 0.9: one-sided smoothing). */
  clearLabel: finite().gt(0.5).max(1).optional(),
});
export const AdversarialConfig = AdversarialFields.superRefine((adv, ctx) => {
  const alternating = adv.mode === 'alternating';
  for (const key of ['disNetLearningRate', 'clearLabel'] as const) {
    if ((adv[key] !== undefined) !== alternating) {
      ctx.addIssue({ code: 'custom', path: [key], message: alternating ? `${key} is required in the alternating mode` : `${key} applies only to the alternating mode` });
    }
  }
});
export type AdversarialConfig = z.infer<typeof AdversarialConfig>;

export const AutoencoderConfig = z.object({
  /** dense: 784-512-128-L-128-512-784; conv: two stride-2 convolutions each way around a dense code. */
  architecture: z.enum(ARCHITECTURES).default('dense'),
  latent: positiveInt(4096),
  epochs: positiveInt(1000),
  batchSize: positiveInt(60000),
  learningRate: finite().gt(0).max(1),
  /** Adam's rate ramps linearly from 0 over this many steps (0: no warm-up). */
  warmupSteps: z.number().int().min(0).max(1_000_000).default(300),
  /**
   * Where the output starts: the training set's mean image (meanImage), or uniform grey 0.5 (grey, how
   * runs made before this setting existed were trained; see startAtMeanImage for why it matters).
   */
  outputInit: z.enum(['meanImage', 'grey']).default('meanImage'),
  trainImages: positiveInt(60000),
  testImages: positiveInt(10000),
  seed: z.number().int().min(0).max(0xffffffff),
  /** Present for the sharpened (Q2b) autoencoder. */
  adversarial: AdversarialConfig.optional(),
});
export type AutoencoderConfig = z.infer<typeof AutoencoderConfig>;

/** Gaussian blur of the images: the "not clear" class that dis_net learns to tell apart. */
export const BlurConfig = z.object({
  sigma: finite().min(0.3).max(5),
  /** Odd; 0 means 2·⌈3σ⌉ + 1, which holds 99.7% of the kernel's mass. */
  kernelSize: z.number().int().min(0).max(27).refine((k) => k === 0 || k % 2 === 1, { message: 'must be odd (or 0 for automatic)' }),
});
export type BlurConfig = z.infer<typeof BlurConfig>;

export const DisNetConfig = z.object({
  blur: BlurConfig,
  epochs: positiveInt(1000),
  batchSize: positiveInt(60000),
  learningRate: finite().gt(0).max(1),
  trainImages: positiveInt(60000),
  testImages: positiveInt(10000),
  seed: z.number().int().min(0).max(0xffffffff),
});
export type DisNetConfig = z.infer<typeof DisNetConfig>;

/** Batches in one epoch of a training configuration (the last one may be short). */
export const batchesPerEpoch = (config: { trainImages: number; batchSize: number }) => Math.ceil(config.trainImages / config.batchSize);

export const JobSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('trainAutoencoder'), config: AutoencoderConfig }),
  z.object({ kind: z.literal('q1Study'), params: Q1Params }),
  z.object({ kind: z.literal('trainDisNet'), config: DisNetConfig }),
  /** Q2b's judge: trained like dis_net on clear against blurred, never used in training, to score (a) and (b). */
  z.object({ kind: z.literal('trainJudge'), config: DisNetConfig }),
]);
export type JobSpec = z.infer<typeof JobSpec>;
