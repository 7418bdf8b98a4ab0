/** The output head and the losses, forward and gradient, as ONNX nodes. */
import { GraphBuilder, int } from './graph';

/** Above this a logit's sigmoid is 1 − 3.1e-7; see autoencoderModel for why the logits are clipped. */
export const LOGIT_LIMIT = 15;

/** Images in [0, 1] from logits: the sigmoid of the logits clipped to ±LOGIT_LIMIT. */
export function clippedSigmoid(g: GraphBuilder, logits: string): { image: string; clipped: string } {
  const clipped = g.op('Clip', [logits, g.scalar(-LOGIT_LIMIT), g.scalar(LOGIT_LIMIT)]);
  return { image: g.op('Sigmoid', [clipped], {}, 'image'), clipped };
}

/** d logits from d image: σ' = y(1 − y), and zero where the clip was active (the bounds included, as tfjs). */
export function clippedSigmoidGrad(g: GraphBuilder, head: { image: string; clipped: string }, logits: string, dImage: string): string {
  const slope = g.op('Mul', [head.image, g.op('Sub', [g.scalar(1), head.image])]);
  const inside = g.op('Cast', [g.op('Equal', [head.clipped, logits])], { to: int(1) });
  return g.op('Mul', [g.op('Mul', [dImage, slope]), inside], {}, 'dlogits');
}

/** Mean |prediction − target| and its gradient sign(prediction − target) / count. */
export function l1Loss(g: GraphBuilder, prediction: string, target: string, count: number): { loss: string; grad: string } {
  const diff = g.op('Sub', [prediction, target]);
  const loss = g.op('ReduceMean', [g.op('Abs', [diff])], { keepdims: int(0) }, 'l1');
  // sign(d) as a saturated scale: exact for every float32 difference of two pixels, and faster than Sign.
  const sign = g.op('Clip', [g.op('Mul', [diff, g.scalar(1e30)]), g.scalar(-1), g.scalar(1)]);
  return { loss, grad: g.op('Mul', [sign, g.scalar(1 / count)], {}, 'dl1') };
}

/**
 * tfjs's sigmoidCrossEntropy: mean of max(z, 0) − z·y + log(1 + e^−|z|) over logits z and labels y,
 * and its gradient (σ(z) − y) / count.
 */
export function sigmoidCrossEntropy(g: GraphBuilder, logits: string, labels: string, count: number): { loss: string; grad: string } {
  const terms = g.op('Add', [g.op('Sub', [g.op('Relu', [logits]), g.op('Mul', [logits, labels])]), g.op('Softplus', [g.op('Neg', [g.op('Abs', [logits])])])]);
  const loss = g.op('ReduceMean', [terms], { keepdims: int(0) }, 'bce');
  return { loss, grad: g.op('Mul', [g.op('Sub', [g.op('Sigmoid', [logits]), labels]), g.scalar(1 / count)], {}, 'dbce') };
}
