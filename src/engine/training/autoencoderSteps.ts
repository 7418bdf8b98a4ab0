/**
 * One training step of an autoencoder (L1, plus λ × dis_net's loss in Q2b), on ONNX Runtime's compiled
 * graphs when that engine runs, else on tfjs. Both take the same batches, learning rates and Adam
 * arithmetic, so they train alike; the graphs are the fast path, tfjs the fallback and the reference.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { BlurConfig } from '../../shared/jobs/specs';
import { IMAGE_SIZE } from '../data/mnist';
import { blurImages } from '../data/blur';
import { graphRuntime } from '../backend/graphRuntime';
import { GraphRuntime } from '../graphs/session';
import { AE_PREFIX, DIS_PREFIX, adversaryStep, autoencoderStep, stepName } from '../graphs/steps';
import { reconstruct } from './autoencoderModel';
import { GraphState } from './graphState';
import { NetworkState, TrainingCheckpoint, networkState } from '../../runs/checkpoints';
import { exportTfjsAdam, importTfjsAdam } from './tfjsAdamState';

export function l1Loss(reconstruction: tf.Tensor, target: tf.Tensor): tf.Scalar {
  return tf.mean(tf.abs(tf.sub(reconstruction, target)));
}

/**
 * Q2b: the dis_net whose "clear" score the reconstructions are pushed towards, and, when it keeps
 * learning (alternating), how it is updated.
 */
export interface Adversary {
  disNet: tfl.LayersModel;
  lambda: number;
  blur: BlurConfig;
  updates?: { learningRate: number; clearLabel: number };
}

export interface StepResult {
  /** The whole loss: L1, plus λ × the adversarial term. */
  loss: number;
  adversarial?: number;
}

export interface AutoencoderStepper {
  /** How many steps one call may take (the graphs unroll several). */
  readonly steps: number;
  /** One step per learning rate, step k on rows [k·rows, (k + 1)·rows) of `batches`. */
  step(batches: Float32Array, rows: number, learningRates: number[]): Promise<StepResult[]>;
  /** Brings the tfjs models (the saved form) up to date with the trained parameters. */
  sync(): void;
  /** The state of each network it trains (the autoencoder, and dis_net when it learns too), after sync(). */
  exportState(): Promise<Record<string, NetworkState>>;
  /** Continues from a checkpoint: parameters and optimizer state of each network it trains, models synced. */
  importState(checkpoint: TrainingCheckpoint): Promise<void>;
  dispose(): void;
}

/** The names of the trained networks in a checkpoint. */
const AUTOENCODER = 'autoencoder';
const DIS_NET = 'dis_net';

export function autoencoderStepper(model: tfl.LayersModel, adversary?: Adversary): AutoencoderStepper {
  const runtime = graphRuntime();
  return runtime ? new GraphStepper(runtime, model, adversary) : new TfjsStepper(model, adversary);
}

/** The rows a dis_net step sees in the alternating mode: the first half of the shuffled batch. */
export const adversaryRows = (rows: number) => Math.ceil(rows / 2);

/** Steps per graph run, where the run has no dis_net step between them; measured fastest here (see docs/performance.md). */
export const UNROLLED_STEPS = 4;

class GraphStepper implements AutoencoderStepper {
  readonly steps: number;
  private readonly state: GraphState;
  private readonly disNet?: GraphState;
  /** What the compiled graphs depend on besides the batch size. */
  private readonly key: string;

  constructor(private readonly runtime: GraphRuntime, private readonly model: tfl.LayersModel, private readonly adversary?: Adversary) {
    this.state = new GraphState(model, AE_PREFIX, true);
    if (adversary) this.disNet = new GraphState(adversary.disNet, DIS_PREFIX, adversary.updates !== undefined);
    this.key = JSON.stringify([this.state.net, this.disNet?.net, adversary?.lambda, adversary?.blur, adversary?.updates?.clearLabel]);
    // dis_net learns between the alternating mode's steps, so those go one run each.
    this.steps = adversary?.updates ? 1 : UNROLLED_STEPS;
  }

  async step(batches: Float32Array, rows: number, learningRates: number[]): Promise<StepResult[]> {
    const { adversary, state, disNet } = this;
    const net = state.net;
    const steps = learningRates.length;
    const graph = await this.runtime.graph(
      `ae_step:${rows}x${steps}:${this.key}`,
      () => autoencoderStep(net, rows, adversary && { disNet: disNet!.net, lambda: adversary.lambda }, { steps }),
      { spinning: !adversary?.updates },
    );
    const feeds = state.stepFeeds(learningRates);
    const size = rows * IMAGE_SIZE;
    for (let k = 0; k < steps; k++) feeds[stepName('x', k)] = batches.subarray(k * size, (k + 1) * size);
    disNet?.feeds(feeds);
    const losses = learningRates.flatMap((_, k) => [stepName('loss', k), ...(adversary ? [stepName('adversarial', k)] : [])]);
    const out = await graph.run(feeds, [...state.outputNames(), ...losses]);
    state.take(out, steps);
    if (adversary?.updates) await this.updateDisNet(batches.subarray(0, size), rows, adversary.updates);
    return learningRates.map((_, k) => ({ loss: out[stepName('loss', k)][0], adversarial: out[stepName('adversarial', k)]?.[0] }));
  }

  /** dis_net's own step (alternating mode), on the autoencoder as just updated. */
  private async updateDisNet(x: Float32Array, rows: number, updates: NonNullable<Adversary['updates']>): Promise<void> {
    const { state, disNet, adversary } = this;
    const n = adversaryRows(rows);
    const graph = await this.runtime.graph(`adv_step:${n}:${this.key}`, () => adversaryStep(state.net, disNet!.net, n, adversary!.blur, updates.clearLabel), { spinning: false });
    const feeds = disNet!.stepFeeds([updates.learningRate], { [stepName('x', 0)]: x.subarray(0, n * IMAGE_SIZE) });
    state.feeds(feeds);
    disNet!.take(await graph.run(feeds, disNet!.outputNames()));
  }

  sync(): void {
    this.state.writeTo(this.model);
    if (this.adversary?.updates) this.disNet!.writeTo(this.adversary.disNet);
  }

  async exportState(): Promise<Record<string, NetworkState>> {
    return { [AUTOENCODER]: this.state.exportState(), ...(this.adversary?.updates ? { [DIS_NET]: this.disNet!.exportState() } : {}) };
  }

  async importState(checkpoint: TrainingCheckpoint): Promise<void> {
    this.state.importState(networkState(checkpoint, AUTOENCODER, this.state.sizes()));
    if (this.adversary?.updates) this.disNet!.importState(networkState(checkpoint, DIS_NET, this.disNet!.sizes()));
    this.sync();
  }

  dispose(): void {}
}

class TfjsStepper implements AutoencoderStepper {
  readonly steps = 1;
  private readonly optimizer = tf.train.adam(1);
  private readonly disNetOptimizer?: tf.Optimizer;
  private readonly variables: tf.Variable[];
  private readonly disNetVariables: tf.Variable[];

  constructor(private readonly model: tfl.LayersModel, private readonly adversary?: Adversary) {
    this.variables = variablesOf(model);
    this.disNetVariables = adversary ? variablesOf(adversary.disNet) : [];
    if (adversary?.updates) this.disNetOptimizer = tf.train.adam(adversary.updates.learningRate);
  }

  async step(batch: Float32Array, rows: number, [learningRate]: number[]): Promise<StepResult[]> {
    const { model, adversary } = this;
    // tfjs reads the rate from this field at every step.
    (this.optimizer as unknown as { learningRate: number }).learningRate = learningRate;
    const x = tf.tensor2d(batch.subarray(0, rows * IMAGE_SIZE), [rows, IMAGE_SIZE]);
    let adversarial: tf.Scalar | undefined;
    const loss = this.optimizer.minimize(
      () => {
        const recon = reconstruct(model, x, true);
        const l1 = l1Loss(recon, x);
        if (!adversary) return l1;
        // Push dis_net's score of the reconstruction towards "clear" (label 1).
        const logits = adversary.disNet.apply(recon) as tf.Tensor;
        adversarial = tf.keep(tf.losses.sigmoidCrossEntropy(tf.onesLike(logits), logits) as tf.Scalar);
        return tf.add(l1, tf.mul(adversary.lambda, adversarial)) as tf.Scalar;
      },
      true,
      this.variables,
    )!;
    const value = (await loss.data())[0];
    const adversarialValue = adversarial && (await adversarial.data())[0];
    if (this.disNetOptimizer) this.updateDisNet(x);
    tf.dispose([x, loss, adversarial]);
    return [{ loss: value, adversarial: adversarialValue }];
  }

  /**
   * One dis_net update in the alternating mode: clear images are "clear", their blurred copies and the
   * autoencoder's reconstructions are "not clear", so the autoencoder cannot keep winning with
   * artefacts. The smoothed "clear" target keeps dis_net's logits, and so the autoencoder's
   * adversarial gradient, from growing without bound. It sees the first half of the (shuffled) batch:
   * as good a balance as the whole batch, at 70 % of the alternating step's time.
   */
  private updateDisNet(x: tf.Tensor2D): void {
    const adversary = this.adversary!;
    tf.tidy(() => {
      const n = adversaryRows(x.shape[0]);
      const half = tf.slice(x, 0, n) as tf.Tensor2D;
      const recon = reconstruct(this.model, half);
      const inputs = tf.concat([half, blurImages(half, adversary.blur), recon]);
      const labels = tf.concat([tf.fill([n, 1], adversary.updates!.clearLabel), tf.zeros([2 * n, 1])]);
      this.disNetOptimizer!.minimize(() => tf.losses.sigmoidCrossEntropy(labels, adversary.disNet.apply(inputs, { training: true }) as tf.Tensor) as tf.Scalar, false, this.disNetVariables);
    });
  }

  sync(): void {}

  async exportState(): Promise<Record<string, NetworkState>> {
    const states: Record<string, NetworkState> = { [AUTOENCODER]: await exportTfjsAdam(this.model, this.optimizer) };
    if (this.disNetOptimizer) states[DIS_NET] = await exportTfjsAdam(this.adversary!.disNet, this.disNetOptimizer);
    return states;
  }

  async importState(checkpoint: TrainingCheckpoint): Promise<void> {
    const sizes = (model: tfl.LayersModel) => model.getWeights().map((w) => w.size);
    await importTfjsAdam(this.model, this.optimizer, networkState(checkpoint, AUTOENCODER, sizes(this.model)));
    if (this.disNetOptimizer) await importTfjsAdam(this.adversary!.disNet, this.disNetOptimizer, networkState(checkpoint, DIS_NET, sizes(this.adversary!.disNet)));
  }

  dispose(): void {
    this.optimizer.dispose();
    this.disNetOptimizer?.dispose();
  }
}

export function variablesOf(model: tfl.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}
