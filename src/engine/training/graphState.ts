/**
 * A network's parameters and Adam moments in the graphs' layout, between graph runs: they go in as
 * feeds and come back as the `_next` outputs of each step. The tfjs model stays the saved form.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { SCALED_EPSILON, STEP_SIZE, adamScalars } from '../graphs/adam';
import { Network, describeNetwork, readParameters, writeParameters } from '../graphs/network';
import { Feeds, Outputs } from '../graphs/session';
import { nextName, slotNames, stepName } from '../graphs/steps';
import { NetworkState } from '../../runs/checkpoints';

export class GraphState {
  readonly net: Network;
  private params: Float32Array[];
  private moments?: { m: Float32Array[]; v: Float32Array[] };
  private readonly names: ReturnType<typeof slotNames>;
  /** Adam steps taken, for the bias correction. */
  private steps = 0;

  /** `trained`: with Adam moments (zero, as a fresh optimizer starts). */
  constructor(model: tfl.LayersModel, readonly prefix: string, trained: boolean) {
    this.net = describeNetwork(model);
    this.params = readParameters(model);
    this.names = slotNames(prefix, this.params.length);
    if (trained) {
      const zeros = () => this.params.map((p) => new Float32Array(p.length));
      this.moments = { m: zeros(), v: zeros() };
    }
  }

  /** The parameters (and moments) as feeds. */
  feeds(into: Feeds = {}): Feeds {
    this.params.forEach((p, i) => (into[this.names.p[i]] = p));
    if (this.moments) {
      this.moments.m.forEach((m, i) => (into[this.names.m[i]] = m));
      this.moments.v.forEach((v, i) => (into[this.names.v[i]] = v));
    }
    return into;
  }

  /** Feeds for the next Adam steps, one per learning rate: the state and each step's scalars. */
  stepFeeds(learningRates: number[], into: Feeds = {}): Feeds {
    this.feeds(into);
    learningRates.forEach((rate, k) => {
      const scalars = adamScalars(rate, this.steps + 1 + k);
      into[stepName(STEP_SIZE, k)] = scalars[STEP_SIZE];
      into[stepName(SCALED_EPSILON, k)] = scalars[SCALED_EPSILON];
    });
    return into;
  }

  /** The outputs a step graph's run must fetch to update this state. */
  outputNames(): string[] {
    return [...this.names.p, ...this.names.m, ...this.names.v].map(nextName);
  }

  /** Takes the new parameters and moments after `steps` steps. */
  take(outputs: Outputs, steps = 1): void {
    const pick = (names: string[]) => names.map((n) => outputs[nextName(n)]);
    this.params = pick(this.names.p);
    if (this.moments) this.moments = { m: pick(this.names.m), v: pick(this.names.v) };
    this.steps += steps;
  }

  writeTo(model: tfl.LayersModel): void {
    writeParameters(model, this.params);
  }

  /** Values per parameter tensor, what a checkpoint's state must match. */
  sizes(): number[] {
    return this.params.map((p) => p.length);
  }

  /** A copy of the parameters, moments and steps taken, for a checkpoint (trained states only). */
  exportState(): NetworkState {
    if (!this.moments) throw new Error(`${this.prefix}: a state without Adam moments is not trained and has no checkpoint`);
    const copy = (arrays: Float32Array[]) => arrays.map((a) => a.slice());
    return { params: copy(this.params), m: copy(this.moments.m), v: copy(this.moments.v), steps: this.steps };
  }

  /** Continues from a checkpoint's state (its sizes checked by the caller, see networkState). */
  importState(state: NetworkState): void {
    const copy = (arrays: Float32Array[]) => arrays.map((a) => a.slice());
    this.params = copy(state.params);
    this.moments = { m: copy(state.m), v: copy(state.v) };
    this.steps = state.steps;
  }
}
