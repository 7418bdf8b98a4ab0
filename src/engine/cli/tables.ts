/**
 * The flag tables: one per group of settings, each flag a path into ExperimentOverrides, with its help
 * and the shared default it overrides. The commands combine them; the help is printed from them.
 */
import { DEFAULT_AUTOENCODER, DEFAULT_DISNET, DEFAULT_RECIPES, DEFAULT_SHARPEN_EPOCHS, Q2A_LATENTS, REPORT_FOLDER } from '../../shared/experiment/defaults';
import { DEFAULT_Q1_PARAMS } from '../../shared/q1/study';
import { Flag } from './flags';

const ae = DEFAULT_AUTOENCODER;
const q1 = DEFAULT_Q1_PARAMS;

/** The autoencoder's training, shared by train, q2a, q2b and all (the images and seed are dis_net's too). */
export const TRAINING_FLAGS: Flag[] = [
  { name: '--architecture', path: 'autoencoder.architecture', kind: 'string', value: '<a>', help: `dense (784-512-128-L-128-512-784) or conv (small convolutional) [${ae.architecture}]` },
  { name: '--epochs', path: 'autoencoder.epochs', kind: 'number', value: '<n>', help: `Epochs [${ae.epochs}]` },
  { name: '--batch-size', path: 'autoencoder.batchSize', kind: 'number', value: '<n>', help: `Mini-batch size [${ae.batchSize}]` },
  { name: '--lr', path: 'autoencoder.learningRate', kind: 'number', value: '<x>', help: `Adam learning rate [${ae.learningRate}]` },
  { name: '--warmup-steps', path: 'autoencoder.warmupSteps', kind: 'number', value: '<n>', help: `Steps over which the rate ramps up from 0; 0: none [${ae.warmupSteps}]` },
  { name: '--train-images', path: 'autoencoder.trainImages', kind: 'number', value: '<n>', help: `Training images, 1–60000 [${ae.trainImages}]` },
  { name: '--test-images', path: 'autoencoder.testImages', kind: 'number', value: '<n>', help: `Test images, 1–10000 [${ae.testImages}]` },
  { name: '--seed', path: 'autoencoder.seed', kind: 'number', value: '<n>', help: `Random seed [${ae.seed}]` },
];

export const LATENT_FLAG: Flag = { name: '--latent', path: 'latents', kind: 'numbers', value: '<n>', help: `Latent size [${ae.latent}]` };
export const LATENTS_FLAG: Flag = { name: '--latent', path: 'latents', kind: 'numbers', value: '<list>', help: `Latent sizes, comma-separated [${Q2A_LATENTS.join(',')}]` };

/** What the composite jobs (q2a, q2b, all) add: seeds, reuse, the plan. */
export const COMPOSITE_FLAGS: Flag[] = [
  { name: '--seeds', path: 'seeds', kind: 'numbers', value: '<list>', help: 'Run once per seed (e.g. 1,2,3,4); the figures get their mean and spread over seeds' },
  { name: '--fresh', path: 'fresh', kind: 'boolean', help: 'Train everything again instead of reusing finished runs of the same configuration' },
  { name: '--plan', path: 'options.plan', kind: 'boolean', help: 'Print what would be trained, what is reused and the estimated time; start nothing' },
];

export const SHARPEN_FLAGS: Flag[] = [
  { name: '--mode', path: 'sharpen.mode', kind: 'string', value: '<m>', help: 'frozen (dis_net fixed, the assignment\'s recipe) | alternating (dis_net keeps learning) | both [both]' },
  { name: '--lambda', path: 'sharpen.lambda', kind: 'number', value: '<x>', help: `Weight of the dis_net loss [frozen ${DEFAULT_RECIPES.frozen.lambda}, alternating ${DEFAULT_RECIPES.alternating.lambda}]` },
  { name: '--disnet-lr', path: 'sharpen.disNetLearningRate', kind: 'number', value: '<x>', help: `Alternating: Adam's rate for dis_net's updates [${DEFAULT_RECIPES.alternating.disNetLearningRate}]` },
  { name: '--clear-label', path: 'sharpen.clearLabel', kind: 'number', value: '<x>', help: `Alternating: target for clear images in those updates, 0.5–1 [${DEFAULT_RECIPES.alternating.clearLabel}]` },
  { name: '--b-epochs', path: 'sharpen.epochs', kind: 'number', value: '<n>', help: `Epochs of (b) [${DEFAULT_SHARPEN_EPOCHS} on top of (a); with --from-scratch, --epochs]` },
  { name: '--from-scratch', path: 'sharpen.fromScratch', kind: 'boolean', help: 'Start (b) from a fresh initialisation instead of the matching Q2a run' },
  { name: '--sigma', path: 'disNet.sigma', kind: 'number', value: '<x>', help: `Blur sigma of dis_net [${DEFAULT_DISNET.blur.sigma}]` },
];

export const OUT_FLAG: Flag = { name: '--out', path: 'options.out', kind: 'string', value: '<dir>', help: `Where the report folder goes [${REPORT_FOLDER}]` };

/** dis_net's own schedule; its images and seed are the training flags'. */
export const DISNET_FLAGS: Flag[] = [
  { name: '--sigma', path: 'disNet.sigma', kind: 'number', value: '<x>', help: `Blur sigma [${DEFAULT_DISNET.blur.sigma}]` },
  { name: '--kernel-size', path: 'disNet.kernelSize', kind: 'number', value: '<n>', help: `Odd, or 0 for 2·⌈3σ⌉+1 [${DEFAULT_DISNET.blur.kernelSize}]` },
  { name: '--epochs', path: 'disNet.epochs', kind: 'number', value: '<n>', help: `Epochs [${DEFAULT_DISNET.epochs}]` },
  { name: '--batch-size', path: 'disNet.batchSize', kind: 'number', value: '<n>', help: `Mini-batch size [${DEFAULT_DISNET.batchSize}]` },
  { name: '--lr', path: 'disNet.learningRate', kind: 'number', value: '<x>', help: `Adam learning rate [${DEFAULT_DISNET.learningRate}]` },
  ...TRAINING_FLAGS.filter((f) => ['--train-images', '--test-images', '--seed'].includes(f.name)),
];

const land = q1.landscape;
const opt = q1.optimizers;
export const Q1_FLAGS: Flag[] = [
  { name: '--start', path: 'q1.landscape.start', kind: 'number', value: '<x>', help: `Start o [${land.start}]` },
  { name: '--L', path: 'q1.landscape.L', kind: 'number', value: '<x>', help: `Position of the local minimum [${land.L}]` },
  { name: '--approach-slope', path: 'q1.landscape.approachSlope', kind: 'number', value: '<s>', help: `Slope magnitude before the minimum [${land.approachSlope}]` },
  { name: '--h', path: 'q1.landscape.h', kind: 'number', value: '<x>', help: `Bump parameter h [${land.h}]` },
  { name: '--bump-width', path: 'q1.landscape.bumpWidth', kind: 'number-or-auto', value: '<x|auto>', help: 'Bump width [auto: 2h, or h in the other reading]' },
  { name: '--after-slope', path: 'q1.landscape.afterSlope', kind: 'number', value: '<s>', help: `Slope magnitude after the bump, negative = rising [${land.afterSlope}]` },
  { name: '--reading', path: 'q1.landscape.reading', kind: 'string', value: '<r>', help: `h-high-2h-wide | h-wide-2h-high [${land.reading}]` },
  { name: '--lr', path: 'q1.optimizers.lr', kind: 'number', value: '<x>', help: `Learning rate a [${opt.lr}]` },
  { name: '--beta1', path: 'q1.optimizers.beta1', kind: 'number', value: '<x>', help: `Adam's beta1 [${opt.beta1}]` },
  { name: '--beta2', path: 'q1.optimizers.beta2', kind: 'number', value: '<x>', help: `Adam's beta2 [${opt.beta2}]` },
  { name: '--eps', path: 'q1.optimizers.eps', kind: 'number', value: '<x>', help: `Adam's epsilon [${opt.eps}]` },
  { name: '--momentum', path: 'q1.optimizers.momentum', kind: 'number', value: '<x>', help: `Momentum SGD coefficient [${opt.momentum}]` },
  { name: '--rho', path: 'q1.optimizers.rho', kind: 'number', value: '<x>', help: `RMSProp decay [${opt.rho}]` },
  { name: '--steps', path: 'q1.optimizers.steps', kind: 'number', value: '<n>', help: `Simulation horizon [${opt.steps}]` },
];
