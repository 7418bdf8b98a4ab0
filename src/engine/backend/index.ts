/** Starts the engine's backend once per process and describes the choice. */
import * as os from 'node:os';
import { BackendInfo, BackendPreference, Provider } from '../../shared/backends';
import { packageVersions } from '../versions';
import { GraphEngineRequest, onnxRuntimeProbe } from './onnxRuntime';
import { ModuleLoaders, cpuProbe, defaultLoaders, tensorflowProbe, wasmProbe, webgpuProbe } from './probes';
import { Probe, selectBackend } from './select';

/** Every candidate, fastest first (the order of BACKEND_NAMES). */
export function createProbes(loaders: ModuleLoaders = defaultLoaders, graphs: GraphEngineRequest = { threads: defaultThreads() }): Probe[] {
  return [onnxRuntimeProbe(loaders, graphs), tensorflowProbe('tensorflow-gpu', loaders), tensorflowProbe('tensorflow', loaders), webgpuProbe(loaders), wasmProbe(), cpuProbe()];
}

export const defaultThreads = (): number => os.availableParallelism();

/** ASSIGNMENT2_THREADS (set from assignment2.threads or --threads), else every core. */
export function threadSetting(): number {
  const raw = process.env.ASSIGNMENT2_THREADS;
  if (raw === undefined || raw === '') return defaultThreads();
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1024) throw new Error(`The thread count must be a whole number from 1 to 1024; got "${raw}".`);
  return n;
}

let started: Promise<BackendInfo> | undefined;
let startedWith: BackendPreference | undefined;

/** `threads`: ONNX Runtime's thread count, by default threadSetting(). */
export function initBackend(preference: BackendPreference, options: { threads?: number } = {}): Promise<BackendInfo> {
  if (started && startedWith !== preference) {
    throw new Error(`The engine already runs on its "${startedWith}" backend choice; restart it to use "${preference}".`);
  }
  startedWith = preference;
  const provider = preference.startsWith('onnxruntime-') ? (preference.slice('onnxruntime-'.length) as Provider) : undefined;
  started ??= Promise.resolve()
    .then(() => selectBackend(preference, createProbes(defaultLoaders, { threads: options.threads ?? threadSetting(), provider })))
    .then(
      (selection) => ({ ...selection, preference, versions: packageVersions() }),
      (err) => {
        started = undefined; // a failed start may be retried, e.g. after installing a package
        throw err;
      },
    );
  return started;
}
