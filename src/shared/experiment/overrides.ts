/**
 * What a front end may change about the experiment, and the job configurations that follow. The
 * extension's settings and palette answers and the command line's flags are two ways to fill the same
 * ExperimentOverrides; the configurations are made here alone, over defaults.ts, so that one request
 * gives the same job specifications from either front end.
 */
import { z } from '../zod';
import { AdversarialFields, AutoencoderConfig, BlurConfig, DisNetConfig, SHARPEN_MODES } from '../jobs/specs';
import { Q1LandscapeFields, Q1Optimizers, Q1Params } from '../q1/params';
import { DEFAULT_Q1_PARAMS } from '../q1/study';
import { DEFAULT_AUTOENCODER, DEFAULT_DISNET, DEFAULT_RECIPES, DEFAULT_SHARPEN_EPOCHS, Q2A_LATENTS, SharpenRecipe, judgeConfigOf } from './defaults';

const a = AutoencoderConfig.shape;
const unique = <T>(list: T[]) => new Set(list).size === list.length;

export const ExperimentOverrides = z
  .object({
    /** The autoencoders' training; the images and the seed are dis_net's and the judge's too. */
    autoencoder: z
      .object({ architecture: a.architecture, epochs: a.epochs, batchSize: a.batchSize, learningRate: a.learningRate, warmupSteps: a.warmupSteps, trainImages: a.trainImages, testImages: a.testImages, seed: a.seed })
      .partial()
      .strict(),
    latents: z.array(a.latent).min(1).max(8).refine(unique, { message: 'each latent size once' }),
    /** The same experiment once per seed (the report shows the spread); replaces autoencoder.seed. */
    seeds: z.array(a.seed).min(1).max(64).refine(unique, { message: 'each seed once' }),
    disNet: z
      .object({ sigma: BlurConfig.shape.sigma, kernelSize: BlurConfig.shape.kernelSize, epochs: DisNetConfig.shape.epochs, batchSize: DisNetConfig.shape.batchSize, learningRate: DisNetConfig.shape.learningRate })
      .partial()
      .strict(),
    sharpen: z
      .object({
        mode: z.enum([...SHARPEN_MODES, 'both']),
        lambda: AdversarialFields.shape.lambda,
        disNetLearningRate: AdversarialFields.shape.disNetLearningRate.unwrap(),
        clearLabel: AdversarialFields.shape.clearLabel.unwrap(),
        /** Epochs of (b): on top of (a)'s when it starts from (a). */
        epochs: a.epochs,
        /** Start (b) from a fresh initialisation instead of its Q2a run. */
        fromScratch: z.boolean(),
      })
      .partial()
      .strict()
      .refine((s) => s.mode !== 'frozen' || (s.disNetLearningRate === undefined && s.clearLabel === undefined), {
        message: 'the dis_net rate and the clear label apply only to the alternating mode',
        path: ['mode'],
      }),
    q1: z.object({ landscape: Q1LandscapeFields.partial().strict(), optimizers: Q1Optimizers.partial().strict() }).partial().strict(),
    /** Train everything again instead of reusing finished runs of the same configuration. */
    fresh: z.boolean(),
  })
  .partial()
  .strict();
export type ExperimentOverrides = z.infer<typeof ExperimentOverrides>;

/** How (b) is trained: its recipes (one per mode), its start and epochs, and whether to reuse. */
export interface SharpenOptions {
  recipes: SharpenRecipe[];
  /** Start (b) from the weights of its Q2a run (a), rather than from scratch. */
  fromQ2a: boolean;
  /** Epochs of (b): on top of (a)'s when it starts from (a). */
  epochs: number;
  /** Reuse finished runs (Q2a, dis_net, (b)) trained with exactly the same configuration. */
  reuse: boolean;
}

/** One seed's worth of the experiment: every configuration the composite jobs train or reuse. */
export interface ExperimentSetup {
  seed: number;
  q1: Q1Params;
  autoencoders: AutoencoderConfig[];
  disNet: DisNetConfig;
  judge: DisNetConfig;
  sharpen: SharpenOptions;
}

/** A configuration the overrides make impossible, named by the override's path (for a flag or a setting). */
export class OverrideError extends Error {
  constructor(readonly path: string, readonly problem: string) {
    super(`${path}: ${problem}`);
  }

  /**
   * The override that set the value at fault, for a flag or setting to be named: a list's entry is the
   * list, dis_net's blur is its sigma and kernel size, and its images and seed are the autoencoders'.
   */
  get source(): string {
    const where = this.path.replace(/\.\d+(?=\.|$)/g, '');
    const derived = /^disNet\.(?:blur\.(sigma|kernelSize)|(trainImages|testImages|seed))$/.exec(where);
    if (derived?.[1]) return `disNet.${derived[1]}`;
    if (derived?.[2]) return `autoencoder.${derived[2]}`;
    return where;
  }
}

function parsed<T>(schema: z.ZodType<T>, candidate: unknown, prefix: string): T {
  const result = schema.safeParse(candidate);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new OverrideError([prefix, ...issue.path.map(String)].filter(Boolean).join('.'), issue.message);
}

/** Validates overrides that came from outside (a message, a file); errors name the field. */
export const overridesFrom = (raw: unknown): ExperimentOverrides => parsed(ExperimentOverrides, raw, '');

/** One autoencoder's configuration. */
export function autoencoderConfigOf(o: ExperimentOverrides, latent: number, seed = o.autoencoder?.seed ?? DEFAULT_AUTOENCODER.seed): AutoencoderConfig {
  return parsed(AutoencoderConfig, { ...DEFAULT_AUTOENCODER, ...o.autoencoder, latent, seed }, 'autoencoder');
}

/** dis_net's configuration: its own schedule, on the autoencoders' images and seed. */
export function disNetConfigOf(o: ExperimentOverrides, seed = o.autoencoder?.seed ?? DEFAULT_DISNET.seed): DisNetConfig {
  const { sigma, kernelSize, ...schedule } = o.disNet ?? {};
  return parsed(
    DisNetConfig,
    {
      ...DEFAULT_DISNET,
      ...schedule,
      blur: { sigma: sigma ?? DEFAULT_DISNET.blur.sigma, kernelSize: kernelSize ?? DEFAULT_DISNET.blur.kernelSize },
      trainImages: o.autoencoder?.trainImages ?? DEFAULT_DISNET.trainImages,
      testImages: o.autoencoder?.testImages ?? DEFAULT_DISNET.testImages,
      seed,
    },
    'disNet',
  );
}

/** The (b) recipes asked for: each mode's defaults, with the overrides given over them. */
export function sharpenOptionsOf(o: ExperimentOverrides): SharpenOptions {
  const s = o.sharpen ?? {};
  const modes = !s.mode || s.mode === 'both' ? SHARPEN_MODES : [s.mode];
  const recipes = modes.map((mode) => ({
    ...DEFAULT_RECIPES[mode],
    ...(s.lambda !== undefined ? { lambda: s.lambda } : {}),
    ...(mode === 'alternating' && s.disNetLearningRate !== undefined ? { disNetLearningRate: s.disNetLearningRate } : {}),
    ...(mode === 'alternating' && s.clearLabel !== undefined ? { clearLabel: s.clearLabel } : {}),
  }));
  const fromQ2a = s.fromScratch !== true;
  const epochs = s.epochs ?? (fromQ2a ? DEFAULT_SHARPEN_EPOCHS : (o.autoencoder?.epochs ?? DEFAULT_AUTOENCODER.epochs));
  return { recipes, fromQ2a, epochs, reuse: o.fresh !== true };
}

export function q1ParamsOf(o: ExperimentOverrides): Q1Params {
  return parsed(Q1Params, { landscape: { ...DEFAULT_Q1_PARAMS.landscape, ...o.q1?.landscape }, optimizers: { ...DEFAULT_Q1_PARAMS.optimizers, ...o.q1?.optimizers } }, 'q1');
}

/** The seeds asked for, in order: --seeds, else the one seed of the configuration. */
export const seedsOf = (o: ExperimentOverrides): number[] => o.seeds ?? [o.autoencoder?.seed ?? DEFAULT_AUTOENCODER.seed];

/** Every seed's configurations; all of them are validated before anything starts. */
export function experimentSetups(o: ExperimentOverrides): ExperimentSetup[] {
  const q1 = q1ParamsOf(o);
  const sharpen = sharpenOptionsOf(o);
  return seedsOf(o).map((seed) => {
    const disNet = disNetConfigOf(o, seed);
    return { seed, q1, autoencoders: (o.latents ?? Q2A_LATENTS).map((latent) => autoencoderConfigOf(o, latent, seed)), disNet, judge: judgeConfigOf(disNet), sharpen };
  });
}

/** `over` on top of `base`, group by group (a palette answer over the settings, say). */
export function mergeOverrides(base: ExperimentOverrides, over: ExperimentOverrides): ExperimentOverrides {
  const merged: Record<string, unknown> = { ...base, ...over };
  for (const group of ['autoencoder', 'disNet', 'sharpen'] as const) {
    if (base[group] || over[group]) merged[group] = { ...base[group], ...over[group] };
  }
  if (base.q1 || over.q1) merged.q1 = { landscape: { ...base.q1?.landscape, ...over.q1?.landscape }, optimizers: { ...base.q1?.optimizers, ...over.q1?.optimizers } };
  return merged as ExperimentOverrides;
}
