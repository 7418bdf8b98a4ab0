/**
 * Every message that crosses a process or frame boundary: extension host <-> engine (IPC) and
 * extension host <-> webview (postMessage). Each side validates what it receives with the schemas
 * below; a message that fails validation is logged and dropped, never acted on.
 */
import { z } from 'zod';

// No code generation: the webview's CSP forbids eval, and zod's probe for it touches `navigator`,
// which VS Code's extension host reports as an error.
z.config({ jitless: true });

// ---------------------------------------------------------------------------------------------
// Backends

/** ONNX Runtime (graphs compiled per job) first; the TensorFlow.js backends are the fallback. */
export const BACKEND_NAMES = ['onnxruntime', 'tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export const BackendName = z.enum(BACKEND_NAMES);
export type BackendName = z.infer<typeof BackendName>;
export type TfjsBackendName = Exclude<BackendName, 'onnxruntime'>;

/** ONNX Runtime's execution providers, in the order 'auto' tries them. */
export const PROVIDERS = ['cuda', 'dml', 'webgpu', 'cpu'] as const;
export const Provider = z.enum(PROVIDERS);
export type Provider = z.infer<typeof Provider>;

/** 'onnxruntime' picks its provider; 'onnxruntime-<provider>' insists on one. */
export const BackendPreference = z.enum(['auto', ...BACKEND_NAMES, 'onnxruntime-cuda', 'onnxruntime-dml', 'onnxruntime-webgpu', 'onnxruntime-cpu']);
export type BackendPreference = z.infer<typeof BackendPreference>;

export const CandidateStatus = z.enum(['chosen', 'unavailable', 'passed-over', 'not-tried']);

export const BackendCandidate = z.object({
  name: BackendName,
  status: CandidateStatus,
  /** Why it was chosen or not, in words a user can act on. */
  reason: z.string(),
});
export type BackendCandidate = z.infer<typeof BackendCandidate>;

export const ProviderCandidate = z.object({ name: Provider, status: CandidateStatus, reason: z.string() });
export type ProviderCandidate = z.infer<typeof ProviderCandidate>;

/** The graph engine's settings, as a run records them. */
export const GraphEngine = z.object({
  provider: Provider,
  /** ONNX Runtime's intra-op threads. */
  threads: z.number().int().min(1).max(1024),
});
export type GraphEngine = z.infer<typeof GraphEngine>;

export const BackendInfo = z.object({
  chosen: BackendName,
  /** With ONNX Runtime: its provider and threads, why each other provider was passed over, and the tfjs backend for the rest (model files, images). */
  onnx: GraphEngine.extend({ providers: z.array(ProviderCandidate), tfjs: BackendName }).optional(),
  preference: BackendPreference,
  candidates: z.array(BackendCandidate),
  versions: z.record(z.string(), z.string()),
  /** Device description where the backend has one (WebGPU adapter, CUDA device). */
  device: z.string().optional(),
});
export type BackendInfo = z.infer<typeof BackendInfo>;

// ---------------------------------------------------------------------------------------------
// Q1: the bump landscape and the optimizers (every number editable: the assignment's figure is lost)

export const Q1_READINGS = ['h-high-2h-wide', 'h-wide-2h-high'] as const;

const Q1LandscapeFields = z.object({
  /** Where the optimizers start (o). */
  start: z.number().finite(),
  /** Position of the local minimum (distance L from o = 0). */
  L: z.number().finite(),
  /** How steeply f falls towards the minimum (f' = -approachSlope there). */
  approachSlope: z.number().finite().gt(0).max(1e3),
  /** The bump parameter h of the assignment. */
  h: z.number().finite().gt(0).max(1e3),
  /** Bump width; null means the reading's default (2h, or h in the alternative reading). */
  bumpWidth: z.number().finite().gt(0).max(1e3).nullable(),
  /** How steeply f keeps falling after the bump (negative: it rises again). */
  afterSlope: z.number().finite().min(-1e3).max(1e3),
  reading: z.enum(Q1_READINGS),
});
export const Q1Landscape = Q1LandscapeFields.refine((p) => p.start < p.L, {
  message: 'the start must lie left of the minimum L',
  path: ['start'],
});
export type Q1Landscape = z.infer<typeof Q1Landscape>;

export const Q1Optimizers = z.object({
  /** Learning rate a (alpha for Adam). */
  lr: z.number().finite().gt(0).max(100),
  beta1: z.number().finite().min(0).lt(1),
  beta2: z.number().finite().min(0).lt(1),
  /** Adam's epsilon; the assignment uses 0. */
  eps: z.number().finite().min(0).max(1),
  /** Momentum coefficient of momentum SGD. */
  momentum: z.number().finite().min(0).lt(1),
  /** Decay of RMSProp's squared-gradient average. */
  rho: z.number().finite().min(0).lt(1),
  /** Simulation horizon. */
  steps: z.number().int().min(10).max(100000),
});
export type Q1Optimizers = z.infer<typeof Q1Optimizers>;

export const Q1Params = z.object({ landscape: Q1Landscape, optimizers: Q1Optimizers });
export type Q1Params = z.infer<typeof Q1Params>;

// ---------------------------------------------------------------------------------------------
// Jobs and runs

const finite = () => z.number().finite();
const positiveInt = (max: number) => z.number().int().min(1).max(max);

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

/** Arguments of the "Train Autoencoder" command when called programmatically (tests, walkthrough links). */
export const TrainAutoencoderArgs = AutoencoderConfig.omit({ latent: true })
  .partial()
  .extend({ latents: z.array(AutoencoderConfig.shape.latent).min(1).max(8) })
  .strict();
export type TrainAutoencoderArgs = z.infer<typeof TrainAutoencoderArgs>;

/** Arguments of the "Run Q1 Optimizer Study" command: any parameters to change from the defaults. */
export const RunQ1StudyArgs = z
  .object({ landscape: Q1LandscapeFields.partial(), optimizers: Q1Optimizers.partial() })
  .partial()
  .strict();
export type RunQ1StudyArgs = z.infer<typeof RunQ1StudyArgs>;

/** Arguments of "Train Sharpened Autoencoder" when called programmatically. */
export const TrainSharpenedArgs = TrainAutoencoderArgs.extend({
  /** Defaults to the mode's (DEFAULT_RECIPES); the alternating mode's other settings are its defaults. */
  lambda: AdversarialFields.shape.lambda.optional(),
  mode: AdversarialFields.shape.mode,
  /** 'q2a': start from the newest matching Q2a run; 'scratch': a fresh initialisation. */
  start: z.enum(['q2a', 'scratch']),
  /** Defaults to the newest completed dis_net run. */
  disNetRunId: AdversarialFields.shape.disNetRunId.optional(),
}).strict();
export type TrainSharpenedArgs = z.infer<typeof TrainSharpenedArgs>;

/** Arguments of "Export Report" when called programmatically: where the folder goes (default: the workspace). */
export const ExportReportArgs = z.object({ outDir: z.string().min(1) }).partial().strict();
export type ExportReportArgs = z.infer<typeof ExportReportArgs>;

export const JobSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('trainAutoencoder'), config: AutoencoderConfig }),
  z.object({ kind: z.literal('q1Study'), params: Q1Params }),
  z.object({ kind: z.literal('trainDisNet'), config: DisNetConfig }),
  /** Q2b's judge: trained like dis_net on clear against blurred, never used in training, to score (a) and (b). */
  z.object({ kind: z.literal('trainJudge'), config: DisNetConfig }),
]);
export type JobSpec = z.infer<typeof JobSpec>;

export const RunStatus = z.enum(['running', 'completed', 'cancelled', 'failed']);
export type RunStatus = z.infer<typeof RunStatus>;

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

// ---------------------------------------------------------------------------------------------
// Q2a analysis files in an autoencoder run folder (read by the host, validated, sent to the webview)

const fraction = () => z.number().finite().min(0).max(1);

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
 * Older run.json files, read as what they did. Version 1 predates outputInit: its autoencoders started
 * from grey. Version 2 predates the alternating recipe's settings: it updated dis_net at the
 * autoencoder's rate with unsmoothed labels.
 */
function upgradeRunRecord(json: unknown): unknown {
  type Old = { schemaVersion?: unknown; job?: { kind?: unknown; config?: Record<string, unknown> & { adversarial?: Record<string, unknown> } } } | null;
  const record = json as Old;
  if (record?.schemaVersion !== 1 && record?.schemaVersion !== 2) return json;
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
  schemaVersion: z.literal(3),
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

// ---------------------------------------------------------------------------------------------
// The exported report (assignment2-report/)

/** A part of the assignment the report could not include, and what would produce it. */
export const MissingPart = z.object({
  part: z.enum(['q1', 'q2a', 'disNet', 'judge', 'q2b']),
  latent: z.number().int().min(1).optional(),
  mode: z.enum(SHARPEN_MODES).optional(),
  message: z.string(),
});
export type MissingPart = z.infer<typeof MissingPart>;

export const ReportSummary = z.object({
  outDir: z.string(),
  reportFile: z.string(),
  /** Paths relative to outDir. */
  figures: z.array(z.string()),
  tables: z.array(z.string()),
  missing: z.array(MissingPart),
});
export type ReportSummary = z.infer<typeof ReportSummary>;

// ---------------------------------------------------------------------------------------------
// Host -> engine

export const EngineRequest = z.discriminatedUnion('type', [
  z.object({ type: z.literal('backendInfo'), requestId: z.string().min(1) }),
  z.object({ type: z.literal('startJob'), jobId: z.string().min(1), runsDir: z.string().min(1), job: JobSpec }),
  z.object({ type: z.literal('exportReport'), jobId: z.string().min(1), runsDir: z.string().min(1), outDir: z.string().min(1) }),
  z.object({ type: z.literal('cancelJob'), jobId: z.string().min(1) }),
  z.object({ type: z.literal('shutdown') }),
]);
export type EngineRequest = z.infer<typeof EngineRequest>;

// Engine -> host

export const LogLevel = z.enum(['info', 'warn', 'error']);

export const EngineEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), pid: z.number().int() }),
  /** Once a second, so that the extension can tell a busy engine from a hung one. */
  z.object({ type: z.literal('heartbeat') }),
  z.object({ type: z.literal('backendInfo'), requestId: z.string(), info: BackendInfo }),
  z.object({ type: z.literal('log'), level: LogLevel, message: z.string(), jobId: z.string().optional() }),
  z.object({ type: z.literal('jobStarted'), jobId: z.string(), runId: z.string(), runDir: z.string() }),
  z.object({
    type: z.literal('progress'),
    jobId: z.string(),
    epoch: z.number().int().min(1),
    epochs: z.number().int().min(1),
    batch: z.number().int().min(0),
    batches: z.number().int().min(1),
    loss: finite(),
  }),
  z.object({ type: z.literal('epoch'), jobId: z.string(), runId: z.string(), metrics: EpochMetrics }),
  z.object({
    type: z.literal('result'),
    jobId: z.string(),
    runId: z.string(),
    status: z.enum(['completed', 'cancelled']),
    summary: RunSummary,
  }),
  z.object({ type: z.literal('reportExported'), jobId: z.string(), summary: ReportSummary }),
  z.object({ type: z.literal('error'), jobId: z.string().optional(), message: z.string() }),
]);
export type EngineEvent = z.infer<typeof EngineEvent>;

// ---------------------------------------------------------------------------------------------
// Host <-> webview

export const WORKBENCH_TABS = ['q1', 'q2a', 'q2b', 'compare'] as const;
export const WorkbenchTab = z.enum(WORKBENCH_TABS);
export type WorkbenchTab = z.infer<typeof WorkbenchTab>;

/** Commands the webview may ask the host to run: an allow-list, never an arbitrary id. */
export const WEBVIEW_COMMANDS = [
  'assignment2.trainAutoencoder',
  'assignment2.trainDisNet',
  'assignment2.trainSharpened',
  'assignment2.runQ1Study',
  'assignment2.exportReport',
  'assignment2.cancelJob',
  'assignment2.showBackendInfo',
  'assignment2.refreshRuns',
] as const;
export const WebviewCommand = z.enum(WEBVIEW_COMMANDS);
export type WebviewCommand = z.infer<typeof WebviewCommand>;

export const ActiveJob = z.object({
  jobId: z.string(),
  runId: z.string().optional(),
  label: z.string(),
  epoch: z.number().int().min(0),
  epochs: z.number().int().min(1),
  batch: z.number().int().min(0),
  batches: z.number().int().min(1),
  loss: finite().optional(),
});
export type ActiveJob = z.infer<typeof ActiveJob>;

export const WorkbenchSnapshot = z.object({
  runs: z.array(RunListItem),
  backend: BackendInfo.optional(),
  job: ActiveJob.optional(),
});
export type WorkbenchSnapshot = z.infer<typeof WorkbenchSnapshot>;

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
  /** For a sharpened run: its configuration's (a) and (b) over every seed on disk. */
  seeds: z.array(Q2bSeedRow).optional(),
  points: LatentPoints.optional(),
  reconstructions: ReconstructionSnapshots.optional(),
  blurSamples: BlurSamples.optional(),
  /** Files that exist but could not be read or validated. */
  problems: z.array(z.string()),
});
export type RunDetails = z.infer<typeof RunDetails>;

export const HostToWebview = z.discriminatedUnion('type', [
  z.object({ type: z.literal('snapshot'), snapshot: WorkbenchSnapshot }),
  z.object({ type: z.literal('job'), job: ActiveJob.nullable() }),
  z.object({ type: z.literal('showTab'), tab: WorkbenchTab }),
  z.object({ type: z.literal('runDetails'), details: z.array(RunDetails), baseline: PixelBaseline.optional() }),
]);
export type HostToWebview = z.infer<typeof HostToWebview>;

export const WebviewToHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('runCommand'), command: WebviewCommand }),
  /** Save the parameters edited in the Q1 tab as a new study run. */
  z.object({ type: z.literal('saveQ1Study'), params: Q1Params }),
  /** Read the analysis, points and reconstructions of these runs (answered with 'runDetails'). */
  z.object({ type: z.literal('loadRunDetails'), runIds: z.array(z.string().regex(/^[\w.-]+$/)).max(64) }),
]);
export type WebviewToHost = z.infer<typeof WebviewToHost>;

// The Reconstructions side view: pick an autoencoder run, get its per-epoch reconstruction snapshots.
export const ReconstructionsToHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('selectRun'), runId: z.string().regex(/^[\w.-]+$/) }),
]);
export type ReconstructionsToHost = z.infer<typeof ReconstructionsToHost>;

export const HostToReconstructions = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('runs'),
    /** Autoencoder runs, newest first; `epochs` counts the finished ones. */
    runs: z.array(z.object({ id: z.string(), name: z.string(), status: RunStatus, epochs: z.number().int().min(0) })),
    /** The run the host is showing (or was asked to show); absent: the view picks one and says which. */
    selected: z.string().optional(),
  }),
  z.object({ type: z.literal('details'), details: RunDetails }),
]);
export type HostToReconstructions = z.infer<typeof HostToReconstructions>;

/** State the webview keeps with setState, so a restored panel reopens on the same tab. */
export const WebviewState = z.object({ tab: WorkbenchTab });
export type WebviewState = z.infer<typeof WebviewState>;

// ---------------------------------------------------------------------------------------------

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Validates an incoming message; the error names the offending field so a log line is useful. */
export function parseMessage<T>(schema: z.ZodType<T>, raw: unknown): Parsed<T> {
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'message';
  return { ok: false, error: `${where}: ${issue?.message ?? 'invalid'}` };
}
