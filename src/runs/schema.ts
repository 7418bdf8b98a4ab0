/**
 * The files of a run folder, as the engine writes them and every reader validates them: run.json (with
 * the migration of older versions), metrics.jsonl, the summary, and the analysis files.
 */
import { z, finite, fraction, positiveInt } from '../shared/zod';
import { BackendName, GraphEngine } from '../shared/backends';
import { JobSpec } from '../shared/jobs/specs';
import { Q2bVerdict } from '../shared/q2b/verdict';

/** `interrupted`: it was running when its process died (see owner.ts); like a cancelled run, it can resume. */
export const RunStatus = z.enum(['running', 'completed', 'cancelled', 'interrupted', 'failed']);
export type RunStatus = z.infer<typeof RunStatus>;

/**
 * The process that holds a running run or a lock. `procStart` (Linux: the process's start time in clock
 * ticks after boot) tells a reused pid from the original one; absent where it cannot be read.
 */
export const Owner = z.object({
  host: z.string().min(1),
  pid: z.number().int().min(1),
  startedAt: z.string(),
  procStart: z.number().int().min(0).optional(),
});
export type Owner = z.infer<typeof Owner>;

/** One line of an autoencoder's metrics.jsonl: appended once per epoch, so a crash loses at most one. */
export const AutoencoderEpoch = z.object({
  epoch: z.number().int().min(1),
  trainL1: finite(),
  testL1: finite(),
  /** Q2b: the mean adversarial term (BCE of dis_net's clear score), logged apart from L1. */
  trainAdversarial: finite().optional(),
  /** How much the test reconstructions differ between images, as a share of the originals' spread. */
  outputSpread: finite().min(0).optional(),
  /** Present when the model has collapsed to one image at this epoch: why (see shared/q2a/collapse). */
  collapse: z.string().max(400).optional(),
  seconds: finite().min(0),
});
export type AutoencoderEpoch = z.infer<typeof AutoencoderEpoch>;

/** One line of dis_net's metrics.jsonl. */
export const DisNetEpoch = z.object({
  epoch: z.number().int().min(1),
  /** Mean binary cross-entropy over the epoch's batches. */
  trainLoss: finite(),
  /** On the clear and the blurred test images together. */
  testAccuracy: z.number().finite().min(0).max(1),
  seconds: finite().min(0),
});
export type DisNetEpoch = z.infer<typeof DisNetEpoch>;

export const EpochMetrics = z.union([AutoencoderEpoch, DisNetEpoch]);
export type EpochMetrics = z.infer<typeof EpochMetrics>;

export function isAutoencoderEpoch(m: EpochMetrics): m is AutoencoderEpoch {
  return 'testL1' in m;
}

/** What every line of steps.jsonl holds: the global step, where it fell, and seconds of training since the run started. */
const StepPlace = {
  step: z.number().int().min(1),
  epoch: z.number().int().min(1),
  /** 1-based, within its epoch. */
  batch: z.number().int().min(1),
  /** Not counting the time a run was stopped before it resumed. */
  seconds: finite().min(0),
};

/** One autoencoder batch: its L1, and for a sharpened run the adversarial term apart. */
export const AutoencoderStep = z.object({ ...StepPlace, l1: finite(), adversarial: finite().optional() });
export type AutoencoderStep = z.infer<typeof AutoencoderStep>;

/** One dis_net (or judge) batch: its binary cross-entropy. */
export const DisNetStep = z.object({ ...StepPlace, crossEntropy: finite() });
export type DisNetStep = z.infer<typeof DisNetStep>;

/** One line of steps.jsonl: every training batch, appended as training goes, for per-step curves. */
export const TrainingStep = z.union([AutoencoderStep, DisNetStep]);
export type TrainingStep = z.infer<typeof TrainingStep>;

export function isAutoencoderStep(s: TrainingStep): s is AutoencoderStep {
  return 'l1' in s;
}

export const TrainingSummary = z.object({
  kind: z.literal('training'),
  epochsCompleted: z.number().int().min(0),
  finalTrainL1: finite().optional(),
  finalTestL1: finite().optional(),
  secondsPerEpoch: finite().optional(),
  /** From the analysis after training (absent for cancelled runs). */
  sharpnessRatio: finite().optional(),
  kmeansAccuracy: finite().optional(),
  kmeansNmi: finite().optional(),
  disNetClearScore: finite().optional(),
  /** The last epoch's collapse reason, when the finished model outputs the same image for every input. */
  collapse: z.string().max(400).optional(),
});
export type TrainingSummary = z.infer<typeof TrainingSummary>;


export const KMeansScores = z.object({
  k: z.number().int().min(1),
  /** contingency[cluster][digit]. */
  contingency: z.array(z.array(z.number().int().min(0))),
  purity: fraction(),
  nmi: fraction(),
  ari: z.number().finite().min(-1).max(1),
  accuracy: fraction(),
  inertia: z.number().finite().min(0),
  restarts: z.number().int().min(1),
});
export type KMeansScores = z.infer<typeof KMeansScores>;

export const ArchitectureSummary = z.object({
  layers: z.array(z.object({ name: z.string(), type: z.string(), outputShape: z.string(), params: z.number().int().min(0) })),
  totalParams: z.number().int().min(0),
});
export type ArchitectureSummary = z.infer<typeof ArchitectureSummary>;

export const AutoencoderAnalysis = z.object({
  latent: z.number().int().min(1),
  testImages: z.number().int().min(1),
  architecture: ArchitectureSummary,
  testL1: finite(),
  perDigitL1: z.array(finite()).length(10),
  sharpness: z.object({ reconstructions: finite(), originals: finite(), ratio: finite() }),
  /** Q2b: the mean probability, under the named dis_net run, that a reconstruction is clear. */
  disNetClearScore: fraction().optional(),
  kmeans: KMeansScores,
  /** K-means on a 2-D UMAP of the latents (16 and 256 dimensions, Q2a runs): an extra, never the answer. */
  kmeansUmap: KMeansScores.optional(),
  projection: z.object({ method: z.enum(['latent', 'pca']), explained: z.tuple([finite(), finite()]).optional() }),
  /** How a nearest-class-mean classifier (fit on the training images) sees originals and reconstructions. */
  confusions: z.object({
    originalAccuracy: fraction(),
    reconstructionAccuracy: fraction(),
    /** Fraction of test digits whose reconstruction gets another label than the original. */
    changed: fraction(),
    top: z.array(z.object({ from: z.number().int(), to: z.number().int(), count: z.number().int() })),
  }),
  observations: z.array(z.string()),
});
export type AutoencoderAnalysis = z.infer<typeof AutoencoderAnalysis>;

/** K-means on the raw test pixels: the baseline every latent clustering is compared against. */
export const PixelBaseline = z.object({ testImages: z.number().int().min(1), seed: z.number().int(), kmeans: KMeansScores });
export type PixelBaseline = z.infer<typeof PixelBaseline>;

/** The 2-D view of the test latents: coordinates, true digit and K-means cluster per point. */
export const LatentPoints = z
  .object({ labels: z.array(z.number().int().min(0).max(9)), clusters: z.array(z.number().int().min(0)), xy: z.array(finite()) })
  .refine((p) => p.clusters.length === p.labels.length && p.xy.length === 2 * p.labels.length, { message: 'lengths disagree' });
export type LatentPoints = z.infer<typeof LatentPoints>;

/** The same test digits, original and reconstructed after each epoch (base64 of 28×28 bytes each). */
export const ReconstructionSnapshots = z.object({
  indices: z.array(z.number().int().min(0)),
  labels: z.array(z.number().int().min(0).max(9)),
  originals: z.string(),
  epochs: z.array(z.object({ epoch: z.number().int().min(1), images: z.string() })),
});
export type ReconstructionSnapshots = z.infer<typeof ReconstructionSnapshots>;

export const Q1Summary = z.object({
  kind: z.literal('q1'),
  gdEscaped: z.boolean(),
  adamEscaped: z.boolean(),
  /** Largest bump height each escapes (null: none, or every one tried). */
  gdMaxEscapeHeight: finite().nullable(),
  adamMaxEscapeHeight: finite().nullable(),
});
export type Q1Summary = z.infer<typeof Q1Summary>;

export const DisNetSummary = z.object({
  kind: z.literal('disnet'),
  epochsCompleted: z.number().int().min(0),
  /** On testImages clear plus testImages blurred test images. */
  testAccuracy: z.number().finite().min(0).max(1).optional(),
  /** Counts: rows are the truth (clear, blurred), columns the prediction (clear, blurred). */
  confusion: z.tuple([z.tuple([z.number().int(), z.number().int()]), z.tuple([z.number().int(), z.number().int()])]).optional(),
});
export type DisNetSummary = z.infer<typeof DisNetSummary>;

export const RunSummary = z.discriminatedUnion('kind', [TrainingSummary, Q1Summary, DisNetSummary]);
export type RunSummary = z.infer<typeof RunSummary>;

/**
 * Older run.json files, read as what they did, one version at a time. Version 1 predates outputInit: its
 * autoencoders started from grey. Version 2 predates the alternating recipe's settings: it updated
 * dis_net at the autoencoder's rate with unsmoothed labels. Version 3 predates owners: its runs name
 * none, so a running one is never judged interrupted.
 */
function upgradeRunRecord(json: unknown): unknown {
  let record = json as OldRecord | null;
  if (record?.schemaVersion === 1 || record?.schemaVersion === 2) record = upgradeToVersion3(record);
  if (record?.schemaVersion === 3) return { ...record, schemaVersion: 4 };
  return record;
}

type OldRecord = { schemaVersion?: unknown; job?: { kind?: unknown; config?: Record<string, unknown> & { adversarial?: Record<string, unknown> } } };

function upgradeToVersion3(record: OldRecord): OldRecord {
  const config = record.job?.kind === 'trainAutoencoder' && typeof record.job.config === 'object' && record.job.config !== null ? record.job.config : undefined;
  if (!config) return { ...record, schemaVersion: 3 };
  const adversarial = config.adversarial;
  const upgraded = {
    ...(record.schemaVersion === 1 ? { outputInit: 'grey' } : {}),
    ...config,
    ...(adversarial?.mode === 'alternating' ? { adversarial: { disNetLearningRate: config.learningRate, clearLabel: 1, ...adversarial } } : {}),
  };
  return { ...record, schemaVersion: 3, job: { ...record.job, config: upgraded } };
}

/** run.json: written atomically at start and at every status change. */
export const RunRecord = z.preprocess(upgradeRunRecord, z.object({
  schemaVersion: z.literal(4),
  id: z.string().min(1),
  name: z.string(),
  job: JobSpec,
  seed: z.number().int(),
  /** The backend that trained it; absent for jobs without tensors (the Q1 study is plain float64). */
  backend: BackendName.optional(),
  /** ONNX Runtime's provider and threads, when it trained the run. */
  engine: GraphEngine.optional(),
  versions: z.record(z.string(), z.string()),
  status: RunStatus,
  /** The process that trains it, or last trained it (absent before version 4). */
  owner: Owner.optional(),
  createdAt: z.string(),
  endedAt: z.string().optional(),
  error: z.string().optional(),
  summary: RunSummary.optional(),
}));
export type RunRecord = z.infer<typeof RunRecord>;

/** What the UI shows of a run folder; a damaged folder is listed with its problem instead of hidden. */
export const RunListItem = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), dir: z.string(), run: RunRecord, metrics: z.array(EpochMetrics) }),
  z.object({ ok: z.literal(false), dir: z.string(), id: z.string(), problem: z.string() }),
]);
export type RunListItem = z.infer<typeof RunListItem>;

/** The same test digits clear and blurred (base64 of 28×28 bytes each), as dis_net sees them. */
export const BlurSamples = z.object({
  indices: z.array(z.number().int().min(0)),
  labels: z.array(z.number().int().min(0).max(9)),
  clear: z.string(),
  blurred: z.string(),
});
export type BlurSamples = z.infer<typeof BlurSamples>;

/** Everything the UI shows of one run beyond run.json: each part is absent until written. */
/**
 * judged.json in an autoencoder run: how clear its test reconstructions look to Q2b's dis_net and to the
 * judge, a classifier of clear against blurred that no training ever used.
 */
export const JudgedScores = z.object({
  testImages: positiveInt(10000),
  disNetRunId: z.string().min(1),
  disNetClearScore: fraction(),
  judgeRunId: z.string().min(1),
  judgeClearScore: fraction(),
});
export type JudgedScores = z.infer<typeof JudgedScores>;

/** A figure over seeds: mean, sample standard deviation (n − 1; 0 for one seed) and range. */
export const Spread = z.object({ mean: finite(), sd: finite().min(0), min: finite(), max: finite() });
export type Spread = z.infer<typeof Spread>;

/** What every row over seeds has: the latent size, the seeds, test L1, and how many collapsed. */
const OverSeeds = z.object({
  latent: positiveInt(4096),
  seeds: z.array(z.number().int().min(0)),
  testL1: Spread,
  collapsed: z.number().int().min(0),
});

export const Q2aSeedRow = OverSeeds.extend({ kmeansAccuracy: Spread, kmeansNmi: Spread });
export type Q2aSeedRow = z.infer<typeof Q2aSeedRow>;

/** (a) or (b) of one Q2b configuration over the seeds where both were judged by the same judge. */
export const Q2bSeedRow = OverSeeds.extend({ model: z.enum(['(a)', '(b) frozen', '(b) alternating']), sharpnessDistance: Spread, judgeClearScore: Spread });
export type Q2bSeedRow = z.infer<typeof Q2bSeedRow>;

export const RunDetails = z.object({
  runId: z.string(),
  analysis: AutoencoderAnalysis.optional(),
  judged: JudgedScores.optional(),
  /** For a sharpened run: Q2b's verdict against its (a). */
  verdict: Q2bVerdict.optional(),
  /** For a sharpened run: its configuration's (a) and (b) over every seed on disk. */
  seeds: z.array(Q2bSeedRow).optional(),
  points: LatentPoints.optional(),
  reconstructions: ReconstructionSnapshots.optional(),
  blurSamples: BlurSamples.optional(),
  /** Every training batch's loss (steps.jsonl), for the per-step curves. */
  steps: z.array(TrainingStep).optional(),
  /** Files that exist but could not be read or validated. */
  problems: z.array(z.string()),
});
export type RunDetails = z.infer<typeof RunDetails>;
