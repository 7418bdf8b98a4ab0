/**
 * Compiled graphs on ONNX Runtime: one session per graph and static shape, created once per engine
 * process and kept, with the provider and thread count the engine started with.
 */
import type * as Ort from 'onnxruntime-node';
import { Provider } from '../../shared/backends';

export type Feeds = Record<string, Float32Array | number>;
export type Outputs = Record<string, Float32Array>;

export class CompiledGraph {
  private readonly shapes = new Map<string, number[]>();

  constructor(private readonly ort: typeof Ort, private readonly session: Ort.InferenceSession, readonly name: string) {
    for (const input of session.inputMetadata) {
      if (input.isTensor) this.shapes.set(input.name, input.shape.map(Number));
    }
  }

  /** Runs the graph; `fetch` names the outputs wanted (the others are not computed). */
  async run(feeds: Feeds, fetch: readonly string[] = this.session.outputNames): Promise<Outputs> {
    const tensors: Record<string, Ort.Tensor> = {};
    for (const [name, shape] of this.shapes) {
      const value = feeds[name];
      if (value === undefined) throw new Error(`graph ${this.name}: no value for its input "${name}"`);
      const data = typeof value === 'number' ? Float32Array.of(value) : value;
      const size = shape.reduce((a, b) => a * b, 1);
      if (data.length !== size) throw new Error(`graph ${this.name}: input "${name}" has ${data.length} values, the graph takes [${shape.join(', ')}]`);
      tensors[name] = new this.ort.Tensor('float32', data, shape);
    }
    const results = await this.session.run(tensors, fetch as string[]);
    const out: Outputs = {};
    for (const name of fetch) out[name] = results[name].data as Float32Array;
    return out;
  }
}

export class GraphRuntime {
  private readonly graphs = new Map<string, Promise<CompiledGraph>>();

  constructor(readonly ort: typeof Ort, readonly provider: Provider, readonly threads: number) {}

  /**
   * One graph runs at a time, so all threads go to the operators; sequential execution keeps a graph's
   * floating-point results the same from run to run on the same thread count. `spinning: false` for
   * graphs that take turns run by run (Q2b's alternating mode): each session's threads otherwise
   * spin on after its run and take the cores from the other's (measured: 110 → 68 ms per step here).
   */
  sessionOptions(spinning = true): Ort.InferenceSession.SessionOptions {
    return {
      executionProviders: [this.provider],
      intraOpNumThreads: this.threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      extra: spinning ? {} : { session: { intra_op: { allow_spinning: '0' } } },
    };
  }

  /** The compiled graph under `key`, built and compiled on first use. */
  graph(key: string, build: () => Uint8Array, options: { spinning?: boolean } = {}): Promise<CompiledGraph> {
    let graph = this.graphs.get(key);
    if (!graph) {
      graph = this.ort.InferenceSession.create(build(), this.sessionOptions(options.spinning)).then((s) => new CompiledGraph(this.ort, s, key));
      graph.catch(() => this.graphs.delete(key));
      this.graphs.set(key, graph);
    }
    return graph;
  }
}
