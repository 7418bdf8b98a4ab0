/**
 * A gradient worker of a data-parallel trainer: its own wasm backend and replica of the dense
 * autoencoder, driven through shared memory by the engine thread (see dataParallel.ts). It blocks on
 * its control word between commands, which only a worker thread may do.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { GradientWorkerEvent, GradientWorkerInit, parseMessage } from '../../../shared/protocol';
import { initBackend } from '../../backend';
import { buildDenseAutoencoder } from '../autoencoderModel';
import { adamUpdate } from './adam';
import { Replica, parameterCount, transposeKernels } from './replica';
import { Command, Field, sharedViews } from './sharedState';

function post(event: GradientWorkerEvent): void {
  parentPort?.postMessage(event);
}

async function main(): Promise<void> {
  const init = parseMessage(GradientWorkerInit, workerData);
  if (!init.ok) throw new Error(`invalid start-up data: ${init.error}`);
  const { buffer, layout, thread, latent } = init.value;
  const info = await initBackend('wasm');
  if (info.chosen !== 'wasm') throw new Error(`the wasm backend did not start (got ${info.chosen})`);
  const replica = new Replica(buildDenseAutoencoder(latent, 0)); // weights come from the shared parameters
  const paramCount = parameterCount(replica.segments);
  if (paramCount !== layout.paramCount) throw new Error(`the replica has ${paramCount} parameters, the trainer ${layout.paramCount}`);
  const shared = sharedViews(buffer, layout);
  const control = shared.control[thread];
  // Read before saying ready: the first command may be issued the moment the trainer hears it.
  let seen = Atomics.load(control, Field.Issued);
  post({ type: 'ready' });
  for (;;) {
    Atomics.wait(control, Field.Issued, seen);
    seen = Atomics.load(control, Field.Issued);
    const command = control[Field.Command];
    if (command === Command.Stop) return;
    if (command === Command.Gradient) {
      replica.load(shared.params, shared.transposed);
      shared.loss[thread] = replica.gradient(shared.inputs[thread], control[Field.Rows], control[Field.BatchRows], shared.gradients[thread]);
    } else if (command === Command.Adam) {
      adamUpdate(shared, shared.gradients, control[Field.From], control[Field.To], control[Field.Step], shared.rate[thread]);
      transposeKernels(replica.segments, shared.params, shared.transposed, control[Field.From], control[Field.To]);
    }
    Atomics.store(control, Field.Done, seen);
    Atomics.notify(control, Field.Done);
  }
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    post({ type: 'error', message: err.message });
    process.exit(1);
  },
);
