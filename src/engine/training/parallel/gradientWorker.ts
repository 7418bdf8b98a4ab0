/**
 * A gradient worker of a data-parallel trainer: its own wasm backend and replica of the dense
 * autoencoder, driven through shared memory by the engine thread (see dataParallel.ts). It blocks on
 * its control word between commands, which only a worker thread may do.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { GradientWorkerEvent, GradientWorkerInit, parseMessage } from '../../../shared/protocol';
import { initBackend } from '../../backend';
import { buildDenseAutoencoder } from '../autoencoderModel';
import { adamStep } from './adam';
import { adamKernel } from './adamSimd';
import { Replica, parameterCount, transposeKernels } from './replica';
import { Command, Field, sharedViews } from './sharedState';

function post(event: GradientWorkerEvent): void {
  parentPort?.postMessage(event);
}

async function main(): Promise<void> {
  const init = parseMessage(GradientWorkerInit, workerData);
  if (!init.ok) throw new Error(`invalid start-up data: ${init.error}`);
  const { memory, layout, thread, latent } = init.value;
  const info = await initBackend('wasm');
  if (info.chosen !== 'wasm') throw new Error(`the wasm backend did not start (got ${info.chosen})`);
  const replica = new Replica(buildDenseAutoencoder(latent, 0)); // weights come from the shared parameters
  const paramCount = parameterCount(replica.segments);
  if (paramCount !== layout.paramCount) throw new Error(`the replica has ${paramCount} parameters, the trainer ${layout.paramCount}`);
  const shared = sharedViews(memory, layout);
  const kernel = adamKernel(memory);
  const control = shared.control[thread];
  replica.load(shared.params, shared.transposed);
  // Read before saying ready: the first command may be issued the moment the trainer hears it.
  let seen = Atomics.load(control, Field.Issued);
  post({ type: 'ready' });
  for (;;) {
    Atomics.wait(control, Field.Issued, seen);
    seen = Atomics.load(control, Field.Issued);
    const command = control[Field.Command];
    if (command === Command.Stop) return;
    const [from, to] = [control[Field.From], control[Field.To]];
    if (command === Command.Gradient) {
      replica.load(shared.params, shared.transposed, from, to); // the other thread's range
      shared.loss[thread] = replica.gradient(shared.inputs[thread], control[Field.Rows], control[Field.BatchRows], shared.gradients[thread]);
    } else if (command === Command.Adam) {
      adamStep(kernel, shared, shared.gradients, from, to, control[Field.Step], shared.rate[thread]);
      transposeKernels(replica.segments, shared.params, shared.transposed, from, to);
    }
    Atomics.store(control, Field.Done, seen);
    Atomics.notify(control, Field.Done);
    // Its own range is final once its Adam is done: load it while the engine thread finishes its part.
    if (command === Command.Adam) replica.load(shared.params, shared.transposed, from, to);
  }
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    post({ type: 'error', message: err.message });
    process.exit(1);
  },
);
