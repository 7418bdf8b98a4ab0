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
import { loadParams, parameterCount, partialGradient, reluLayers, variablesOf } from './gradientStep';
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
  const model = buildDenseAutoencoder(latent, 0); // weights come from the shared parameters
  const variables = variablesOf(model);
  const relu = reluLayers(model);
  if (parameterCount(variables) !== layout.paramCount) throw new Error(`the replica has ${parameterCount(variables)} parameters, the trainer ${layout.paramCount}`);
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
      loadParams(variables, shared.params);
      shared.loss[thread] = partialGradient(variables, relu, shared.inputs[thread], control[Field.Rows], control[Field.BatchRows], shared.gradients[thread]);
    } else if (command === Command.Adam) {
      adamUpdate(shared, shared.gradients, control[Field.From], control[Field.To], control[Field.Step], shared.rate[thread]);
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
