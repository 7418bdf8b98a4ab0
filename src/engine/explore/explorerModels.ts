/**
 * The trained autoencoders the latent explorer decodes with, loaded once per run and kept: a click
 * in the page must not reload weights. Only finished autoencoder runs are admitted, with a reason
 * for every refusal. A run's test images are the same first N of MNIST's test split its analysis used,
 * so test image #i is the point i of its points.json.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tfl from '@tensorflow/tfjs-layers';
import { BackendPreference } from '../../shared/backends';
import { RunStore, readRunRecord } from '../../runs/store';
import { initBackend } from '../backend';
import { MnistSplit } from '../data/mnist';
import { mnist } from '../data/mnistCache';
import { MODEL_JSON, loadModel } from '../training/modelFiles';

export interface ExplorerModel {
  runId: string;
  model: tfl.LayersModel;
  latent: number;
  test: MnistSplit;
}

/** Enough for the runs a page shows at once (one per latent size, and a few more ticked). */
const KEPT = 6;
const loaded = new Map<string, { version: string; model: Promise<ExplorerModel> }>();

export class ExploreRefused extends Error {}

/** The run's model, loaded (or taken from the cache while the run is unchanged). */
export function explorerModel(runsDir: string, runId: string, backend: BackendPreference): Promise<ExplorerModel> {
  let dir: string;
  try {
    dir = new RunStore(runsDir).dirOf(runId);
  } catch {
    return Promise.reject(new ExploreRefused(`"${runId}" is not a run id.`));
  }
  if (!fs.existsSync(dir)) return Promise.reject(new ExploreRefused(`There is no run ${runId} in ${runsDir}.`));
  let record: ReturnType<typeof readRunRecord>;
  try {
    record = readRunRecord(dir);
  } catch (err) {
    return Promise.reject(new ExploreRefused(`Run ${runId} cannot be read: ${(err as Error).message}`));
  }
  if (record.job.kind !== 'trainAutoencoder') return Promise.reject(new ExploreRefused(`Run ${runId} is a ${record.job.kind} run: only autoencoder runs have a decoder to explore.`));
  if (record.status === 'running') return Promise.reject(new ExploreRefused(`Run ${runId} is still training: its decoder can be explored once it has finished.`));
  if (record.status !== 'completed') return Promise.reject(new ExploreRefused(`Run ${runId} is ${record.status}, not completed: resume it to the end to explore its decoder.`));
  if (!fs.existsSync(path.join(dir, MODEL_JSON))) return Promise.reject(new ExploreRefused(`Run ${runId} has no saved model (${MODEL_JSON}).`));

  const key = path.resolve(dir);
  const version = `${record.endedAt ?? ''}:${fs.statSync(path.join(dir, MODEL_JSON)).mtimeMs}`;
  const kept = loaded.get(key);
  if (kept?.version === version) return kept.model;
  const config = record.job.config;
  const model = initBackend(backend).then(async () => ({ runId, model: await loadModel(dir), latent: config.latent, test: mnist('test', config.testImages) }));
  forget(key);
  loaded.set(key, { version, model });
  // A load that fails is not kept: the next request tries again.
  model.catch(() => loaded.get(key)?.model === model && loaded.delete(key));
  while (loaded.size > KEPT) forget(loaded.keys().next().value!);
  return model;
}

function forget(key: string): void {
  const kept = loaded.get(key);
  if (!kept) return;
  loaded.delete(key);
  kept.model.then((m) => m.model.dispose(), () => undefined);
}
