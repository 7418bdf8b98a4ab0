/**
 * Data-parallel training of the dense autoencoder on the wasm backend, which runs one thread in Node:
 * the engine thread and a worker thread each take half of every batch on their own tfjs replica, their
 * gradients add up to the batch's, and each applies Adam to half of the parameters in shared memory.
 * The result is the single-threaded training's up to float32 rounding, about 1.7 times as fast on two cores.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as tfl from '@tensorflow/tfjs-layers';
import { GradientWorkerEvent, GradientWorkerInit, parseMessage } from '../../../shared/protocol';
import { IMAGE_SIZE } from '../../data/mnist';
import { adamStep } from './adam';
import { AdamKernel, adamKernel } from './adamSimd';
import { Replica, adamSplit, parameterCount, transposeKernels } from './replica';
import { Command, Field, SharedLayout, SharedViews, allocateShared, sharedViews } from './sharedState';

const THREADS = 2;
/** A worker that has not finished a command in this long is treated as hung. */
const COMMAND_TIMEOUT_MS = 60_000;

type WaitAsync = (array: Int32Array, index: number, value: number, timeout: number) => { async: false; value: string } | { async: true; value: Promise<string> };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/** Whether this machine and backend gain from a second thread. */
export function dataParallelAvailable(backend: string): boolean {
  return backend === 'wasm' && os.availableParallelism() >= THREADS;
}

/** The bundled worker beside the engine, or its TypeScript source when running from the sources (tests). */
function startWorker(init: GradientWorkerInit): Worker {
  const built = path.join(__dirname, 'gradientWorker.js');
  if (fs.existsSync(built)) return new Worker(built, { workerData: init });
  const source = path.join(__dirname, 'gradientWorker.ts');
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(source)});`, { eval: true, workerData: init });
}

export class DataParallelTrainer {
  private readonly shared: SharedViews;
  private readonly adam: AdamKernel;
  private readonly split: number;
  private issued = 0;
  private failure?: Error;
  private readonly failed: Promise<never>;

  private constructor(
    private readonly replica: Replica,
    private readonly worker: Worker,
    memory: WebAssembly.Memory,
    layout: SharedLayout,
  ) {
    this.shared = sharedViews(memory, layout);
    this.adam = adamKernel(memory);
    this.split = adamSplit(this.replica.segments);
    this.failed = new Promise<never>((_, reject) => {
      const fail = (err: Error) => {
        this.failure ??= err;
        reject(this.failure);
      };
      worker.on('message', (raw) => {
        const event = parseMessage(GradientWorkerEvent, raw);
        if (event.ok && event.value.type === 'error') fail(new Error(`The gradient worker failed: ${event.value.message}`));
      });
      worker.on('error', (err) => fail(new Error(`The gradient worker failed: ${err.message}`)));
      worker.on('exit', (code) => fail(new Error(`The gradient worker exited (code ${code}).`)));
    });
    this.failed.catch(() => undefined); // observed by whichever step is waiting
  }

  /** Starts the worker with the model's current weights; resolves once its backend is up. */
  static async start(model: tfl.LayersModel, latent: number, maxRows: number): Promise<DataParallelTrainer> {
    const replica = new Replica(model);
    const layout: SharedLayout = { threads: THREADS, paramCount: parameterCount(replica.segments), maxRows: Math.ceil(maxRows / THREADS), inputSize: IMAGE_SIZE };
    const memory = allocateShared(layout);
    const { params, transposed } = sharedViews(memory, layout);
    replica.store(params);
    transposeKernels(replica.segments, params, transposed, 0, layout.paramCount);
    replica.load(params, transposed);
    const worker = startWorker({ memory, layout, thread: 1, latent });
    await new Promise<void>((resolve, reject) => {
      worker.once('message', (raw) => {
        const event = parseMessage(GradientWorkerEvent, raw);
        if (event.ok && event.value.type === 'ready') resolve();
        else reject(new Error(`The gradient worker did not start: ${event.ok && event.value.type === 'error' ? event.value.message : 'unexpected message'}`));
      });
      worker.once('error', reject);
    });
    return new DataParallelTrainer(replica, worker, memory, layout);
  }

  private issue(command: Command, fields: Partial<Record<Field, number>>, rate = 0): number {
    const control = this.shared.control[1];
    for (const [field, value] of Object.entries(fields)) control[Number(field)] = value;
    control[Field.Command] = command;
    this.shared.rate[1] = rate;
    this.issued++;
    Atomics.store(control, Field.Issued, this.issued);
    Atomics.notify(control, Field.Issued);
    return this.issued;
  }

  private async done(sequence: number): Promise<void> {
    const control = this.shared.control[1];
    const deadline = Date.now() + COMMAND_TIMEOUT_MS;
    for (;;) {
      const current = Atomics.load(control, Field.Done);
      if (current === sequence) return;
      if (this.failure) throw this.failure;
      if (Date.now() > deadline) throw new Error(`The gradient worker did not answer within ${COMMAND_TIMEOUT_MS / 1000} s.`);
      const wait = waitAsync(control, Field.Done, current, 1000);
      if (wait.async) await Promise.race([wait.value, this.failed]);
    }
  }

  /**
   * One Adam step (number `step`, from 1) on `rows` images packed in `batch`; returns the batch's mean L1.
   * The engine thread's share is the first half of the rows, the worker's the rest.
   */
  async step(batch: Float32Array, rows: number, step: number, learningRate: number): Promise<number> {
    const own = Math.ceil(rows / THREADS);
    this.shared.inputs[1].set(batch.subarray(own * IMAGE_SIZE, rows * IMAGE_SIZE));
    const end = this.shared.params.length;
    // Each thread has already loaded its own range of the last update; it loads the other's now.
    const gradient = this.issue(Command.Gradient, { [Field.Rows]: rows - own, [Field.BatchRows]: rows, [Field.From]: 0, [Field.To]: this.split });
    this.replica.load(this.shared.params, this.shared.transposed, this.split, end);
    this.shared.loss[0] = this.replica.gradient(batch, own, rows, this.shared.gradients[0]);
    await this.done(gradient);
    const adam = this.issue(Command.Adam, { [Field.Step]: step, [Field.From]: this.split, [Field.To]: end }, learningRate);
    adamStep(this.adam, this.shared, this.shared.gradients, 0, this.split, step, learningRate);
    transposeKernels(this.replica.segments, this.shared.params, this.shared.transposed, 0, this.split);
    this.replica.load(this.shared.params, this.shared.transposed, 0, this.split);
    await this.done(adam);
    return this.shared.loss[0] + this.shared.loss[1];
  }

  /** Puts the trained parameters into the engine thread's model (for evaluation and saving). */
  syncModel(): void {
    this.replica.load(this.shared.params, this.shared.transposed);
  }

  async dispose(): Promise<void> {
    if (!this.failure) this.issue(Command.Stop, {});
    await this.worker.terminate();
    this.replica.dispose();
  }
}
