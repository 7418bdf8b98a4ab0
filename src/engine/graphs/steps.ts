/**
 * The graphs of every job kind: one training step each (forward, backward, Adam; inputs the batch, the
 * parameters and moments, outputs the losses and the new parameters and moments), and the evaluation
 * graphs the analysis reads. Names of inputs and outputs are fixed here and used by the trainers.
 */
import { gaussianKernel } from '../data/gaussian';
import { BlurConfig } from '../../shared/jobs/specs';
import { SCALED_EPSILON, STEP_SIZE, adamUpdate } from './adam';
import { GraphBuilder, ints } from './graph';
import { backward, forward } from './layers';
import { clippedSigmoid, clippedSigmoidGrad, l1Loss, sigmoidCrossEntropy } from './losses';
import { Network, parameterShapes } from './network';

/** The names under which a network's parameters (and, when trained, their moments) go in and come out. */
export function slotNames(prefix: string, count: number) {
  const names = (kind: string) => Array.from({ length: count }, (_, i) => `${prefix}${kind}${i}`);
  return { p: names('p'), m: names('m'), v: names('v') };
}
export const nextName = (name: string) => `${name}_next`;

/** Declares a network's parameters as inputs; with `trained`, its moments too. */
function parameterInputs(g: GraphBuilder, net: Network, prefix: string, trained: boolean, options: StepOptions = {}) {
  trained &&= !options.gradients;
  const shapes = parameterShapes(net);
  const names = slotNames(prefix, shapes.length);
  const declare = (list: string[]) => list.map((name, i) => g.input(name, shapes[i]));
  return { p: declare(names.p), m: trained ? declare(names.m) : [], v: trained ? declare(names.v) : [] };
}

export const gradName = (name: string) => `${name}_grad`;
/** A per-step input or output of a graph that unrolls several steps: x0, loss0, x1, loss1, … */
export const stepName = (name: string, k: number) => `${name}${k}`;

export interface StepOptions {
  /**
   * Steps unrolled into one graph, each on its own batch: one run then carries several steps, which
   * spares copying every parameter and moment out to JavaScript and back between them.
   */
  steps?: number;
  /** Publish step 0's gradients under gradName instead of training (to check them). */
  gradients?: boolean;
}

type Slots = { p: string[]; m: string[]; v: string[] };

/** One Adam step on every parameter; its scalars are step k's inputs. Returns the new slots. */
function adamStep(g: GraphBuilder, slots: Slots, grads: string[], k: number): Slots {
  const stepSize = g.input(stepName(STEP_SIZE, k), []);
  const epsilon = g.input(stepName(SCALED_EPSILON, k), []);
  const next: Slots = { p: [], m: [], v: [] };
  grads.forEach((grad, i) => {
    const u = adamUpdate(g, slots.p[i], slots.m[i], slots.v[i], grad, stepSize, epsilon);
    next.p.push(u.p);
    next.m.push(u.m);
    next.v.push(u.v);
  });
  return next;
}

/**
 * The end of a step graph: the trained slots published as nextName of their inputs, or with
 * `gradients` step 0's gradients under gradName.
 */
function finish(g: GraphBuilder, inputs: Slots, trained: Slots, grads: string[], options: StepOptions): Uint8Array {
  if (options.gradients) grads.forEach((grad, i) => g.output(gradName(inputs.p[i]), grad));
  else (['p', 'm', 'v'] as const).forEach((kind) => inputs[kind].forEach((name, i) => g.output(nextName(name), trained[kind][i])));
  return g.encode();
}

function stepCount(options: StepOptions): number {
  const steps = options.steps ?? 1;
  if (!Number.isInteger(steps) || steps < 1 || (options.gradients && steps !== 1)) throw new Error(`a step graph unrolls a whole number of steps (1 with gradients); got ${steps}`);
  return steps;
}

/** Gaussian blur of flat square images: a k×1 then a 1×k convolution, zero padding (as data/blur). */
function blurNodes(g: GraphBuilder, x: string, rows: number, side: number, blur: BlurConfig): string {
  const k = gaussianKernel(blur);
  const half = (k.length - 1) / 2;
  const image = g.op('Reshape', [x, g.int64s([rows, 1, side, side])]);
  const vertical = g.op('Conv', [image, g.constant(k, [1, 1, k.length, 1])], { pads: ints([half, 0, half, 0]) }, 'blur_v');
  const both = g.op('Conv', [vertical, g.constant(k, [1, 1, 1, k.length])], { pads: ints([0, half, 0, half]) }, 'blur_h');
  return g.op('Reshape', [both, g.int64s([rows, side * side])], {}, 'blurred');
}

const sideOf = (net: Network) => Math.round(Math.sqrt(net.inputSize));

export const AE_PREFIX = 'ae_';
export const DIS_PREFIX = 'dis_';

/**
 * Autoencoder steps on L1, plus λ × dis_net's cross-entropy against "clear" for the reconstructions
 * when there is an adversary (dis_net frozen: its parameters are inputs, and only the gradient with
 * respect to its input is formed). Per step k: input `x<k>`, outputs `loss<k>` (the total) and
 * `adversarial<k>`; then the new slots.
 */
export function autoencoderStep(net: Network, batch: number, adversary?: { disNet: Network; lambda: number }, options: StepOptions = {}): Uint8Array {
  const g = new GraphBuilder('autoencoder_step');
  const inputs = parameterInputs(g, net, AE_PREFIX, true, options);
  const dis = adversary && parameterInputs(g, adversary.disNet, DIS_PREFIX, false);
  let slots = inputs;
  let grads: string[] = [];
  for (let k = 0; k < stepCount(options); k++) {
    const x = g.input(stepName('x', k), [batch, net.inputSize]);
    const fwd = forward(g, net, slots.p, x, batch);
    const head = clippedSigmoid(g, fwd.output);
    const l1 = l1Loss(g, head.image, x, batch * net.outputSize);
    let loss = l1.loss;
    let dImage = l1.grad;
    if (adversary) {
      const disFwd = forward(g, adversary.disNet, dis!.p, head.image, batch);
      const bce = sigmoidCrossEntropy(g, disFwd.output, g.constant(new Float32Array(batch).fill(1), [batch, 1]), batch);
      const dAdversarial = backward(g, disFwd, bce.grad, batch, { paramGrads: false, inputGrad: true }).input!;
      const lambda = g.scalar(adversary.lambda);
      loss = g.op('Add', [l1.loss, g.op('Mul', [bce.loss, lambda])]);
      dImage = g.op('Add', [l1.grad, g.op('Mul', [dAdversarial, lambda])]);
      g.output(stepName('adversarial', k), bce.loss);
    }
    g.output(stepName('loss', k), loss);
    grads = backward(g, fwd, clippedSigmoidGrad(g, head, fwd.output, dImage), batch, { paramGrads: true, inputGrad: false }).grads;
    if (!options.gradients) slots = adamStep(g, slots, grads, k);
  }
  return finish(g, inputs, slots, grads, options);
}

/**
 * Steps of dis_net (or the judge), each on a batch `x<k>` whose images are shown clear where
 * `clear<k>` is 1 and blurred where it is 0: sigmoid cross-entropy against `clear<k>`, output `loss<k>`.
 */
export function classifierStep(net: Network, batch: number, blur: BlurConfig, options: StepOptions = {}): Uint8Array {
  const g = new GraphBuilder('classifier_step');
  const inputs = parameterInputs(g, net, DIS_PREFIX, true, options);
  let slots = inputs;
  let grads: string[] = [];
  for (let k = 0; k < stepCount(options); k++) {
    const x = g.input(stepName('x', k), [batch, net.inputSize]);
    const clear = g.input(stepName('clear', k), [batch, 1]);
    const blurred = blurNodes(g, x, batch, sideOf(net), blur);
    const input = g.op('Add', [blurred, g.op('Mul', [g.op('Sub', [x, blurred]), clear])], {}, 'mixed');
    const fwd = forward(g, net, slots.p, input, batch);
    const bce = sigmoidCrossEntropy(g, fwd.output, clear, batch);
    g.output(stepName('loss', k), bce.loss);
    grads = backward(g, fwd, bce.grad, batch, { paramGrads: true, inputGrad: false }).grads;
    if (!options.gradients) slots = adamStep(g, slots, grads, k);
  }
  return finish(g, inputs, slots, grads, options);
}

/**
 * dis_net's own step in Q2b's alternating mode: `rows` clear images `x0` (target clearLabel), their
 * blurred copies and the autoencoder's reconstructions of them (target 0); output `loss0`. The
 * autoencoder's parameters are inputs: it is not trained here.
 */
export function adversaryStep(autoencoder: Network, disNet: Network, rows: number, blur: BlurConfig, clearLabel: number, options: StepOptions = {}): Uint8Array {
  const g = new GraphBuilder('adversary_step');
  if (stepCount(options) !== 1) throw new Error('dis_net\'s alternating step follows each autoencoder step: it is not unrolled');
  const x = g.input(stepName('x', 0), [rows, autoencoder.inputSize]);
  const ae = parameterInputs(g, autoencoder, AE_PREFIX, false);
  const inputs = parameterInputs(g, disNet, DIS_PREFIX, true, options);
  const recon = clippedSigmoid(g, forward(g, autoencoder, ae.p, x, rows).output).image;
  const batch = g.op('Concat', [x, blurNodes(g, x, rows, sideOf(autoencoder), blur), recon], { axis: { i: 0 } });
  const labels = g.constant(Float32Array.from({ length: 3 * rows }, (_, i) => (i < rows ? clearLabel : 0)), [3 * rows, 1]);
  const fwd = forward(g, disNet, inputs.p, batch, 3 * rows);
  const bce = sigmoidCrossEntropy(g, fwd.output, labels, 3 * rows);
  g.output(stepName('loss', 0), bce.loss);
  const grads = backward(g, fwd, bce.grad, 3 * rows, { paramGrads: true, inputGrad: false }).grads;
  return finish(g, inputs, options.gradients ? inputs : adamStep(g, inputs, grads, 0), grads, options);
}

/**
 * An autoencoder over `rows` images: `image` (reconstructions), `latent` (when the network has one),
 * and the sums the per-epoch evaluation needs without copying the images out: `l1Sum`, and per pixel
 * `pixelSum` and `pixelSquares` over the rows.
 */
export function autoencoderEval(net: Network, rows: number): Uint8Array {
  const g = new GraphBuilder('autoencoder_eval');
  const x = g.input('x', [rows, net.inputSize]);
  const fwd = forward(g, net, parameterInputs(g, net, AE_PREFIX, false).p, x, rows);
  const image = clippedSigmoid(g, fwd.output).image;
  g.output('image', image);
  if (fwd.latent) g.output('latent', fwd.latent);
  const keep = { keepdims: { i: 0 } };
  g.output('l1Sum', g.op('ReduceSum', [g.op('Abs', [g.op('Sub', [image, x])])], keep));
  g.output('pixelSum', g.op('ReduceSum', [image, g.int64s([0])], keep));
  g.output('pixelSquares', g.op('ReduceSum', [g.op('Mul', [image, image]), g.int64s([0])], keep));
  return g.encode();
}

/** dis_net or the judge over `rows` images: `clear`, the probability that each is clear, and with a blur `blurredClear`, the same for its blurred copy. */
export function classifierEval(net: Network, rows: number, blur?: BlurConfig): Uint8Array {
  const g = new GraphBuilder('classifier_eval');
  const x = g.input('x', [rows, net.inputSize]);
  const params = parameterInputs(g, net, DIS_PREFIX, false).p;
  const probability = (input: string) => g.op('Reshape', [g.op('Sigmoid', [forward(g, net, params, input, rows).output]), g.int64s([rows])]);
  g.output('clear', probability(x));
  if (blur) g.output('blurredClear', probability(blurNodes(g, x, rows, sideOf(net), blur)));
  return g.encode();
}
