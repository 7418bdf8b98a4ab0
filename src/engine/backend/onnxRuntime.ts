/**
 * ONNX Runtime as the engine's backend: onnxruntime-node's native library (shipped inside the npm
 * package), an execution provider that runs a test graph, and a tfjs backend beside it for what tfjs
 * still does (model files, blur samples). Every provider passed over gets a reason.
 */
import type * as Ort from 'onnxruntime-node';
import { PROVIDERS, Provider, ProviderCandidate } from '../../shared/backends';
import { GraphBuilder } from '../graphs/graph';
import { GraphRuntime } from '../graphs/session';
import { useGraphRuntime } from './graphRuntime';
import { ModuleLoaders, cpuProbe, findWebGpuAdapter, firstLine, notInstalled, wasmProbe } from './probes';
import { Probe, ProbeResult } from './select';

export interface GraphEngineRequest {
  threads: number;
  /** A provider insisted on; otherwise the first that works, in PROVIDERS order. */
  provider?: Provider;
}

const PACKAGE = 'onnxruntime-node';

/** A one-node graph: a provider that cannot create and run it cannot train. */
async function tryProvider(ort: typeof Ort, provider: Provider): Promise<void> {
  const g = new GraphBuilder('probe');
  g.output('y', g.op('Relu', [g.input('x', [4])]));
  const session = await ort.InferenceSession.create(g.encode(), { executionProviders: [provider], logSeverityLevel: 3 });
  try {
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.of(-1, 0, 1, 2), [4]) });
    if ((out.y.data as Float32Array)[3] !== 2) throw new Error('the test graph computed a wrong result');
  } finally {
    await session.release();
  }
}

/** Why a provider is not even tried on this platform, if it is not. */
function notHere(provider: Provider, ort: typeof Ort): string | undefined {
  const listed = ort.listSupportedBackends?.().find((b) => b.name === provider);
  if (provider === 'dml' && process.platform !== 'win32') return 'DirectML exists on Windows only';
  if (provider === 'cuda' && process.platform !== 'linux' && process.platform !== 'win32') return 'CUDA exists on Linux and Windows only';
  if (provider === 'cuda' && listed && !listed.bundled)
    return `the CUDA 12 provider is not installed (it is a download: set ONNXRUNTIME_NODE_INSTALL=cuda12 and run "npm rebuild ${PACKAGE}" on a machine with CUDA 12)`;
  if (provider === 'webgpu' && !listed) return `${PACKAGE} has no WebGPU provider on ${process.platform}-${process.arch}`;
  return undefined;
}

async function chooseProvider(ort: typeof Ort, loaders: ModuleLoaders, wanted: Provider | undefined): Promise<{ provider?: Provider; device?: string; candidates: ProviderCandidate[] }> {
  const candidates: ProviderCandidate[] = [];
  let chosen: { provider: Provider; device?: string } | undefined;
  for (const name of PROVIDERS) {
    if (chosen || (wanted && wanted !== name)) {
      candidates.push({ name, status: 'not-tried', reason: chosen ? `not needed: ${chosen.provider} comes first` : `the backend is set to "onnxruntime-${wanted}"` });
      continue;
    }
    const skip = notHere(name, ort);
    if (skip) {
      candidates.push({ name, status: 'unavailable', reason: skip });
      continue;
    }
    let device: string | undefined;
    if (name === 'webgpu') {
      // ONNX Runtime does not say which adapter its WebGPU provider found; Dawn does.
      const adapter = await findWebGpuAdapter(loaders);
      if (!adapter.ok && !wanted) {
        candidates.push({ name, status: 'unavailable', reason: adapter.reason });
        continue;
      }
      if (adapter.ok && adapter.software && !wanted) {
        candidates.push({ name, status: 'passed-over', reason: `only a software adapter (${adapter.device}), far slower than the CPU provider; set the backend to "onnxruntime-webgpu" to use it anyway` });
        continue;
      }
      device = adapter.ok ? adapter.device : undefined;
    }
    try {
      await tryProvider(ort, name);
      chosen = { provider: name, device };
      candidates.push({ name, status: 'chosen', reason: name === 'cpu' ? 'ONNX Runtime\'s CPU kernels on every thread' : `the ${name} provider runs the graphs${device ? ` on ${device}` : ''}` });
    } catch (err) {
      candidates.push({ name, status: 'unavailable', reason: `its test graph failed: ${firstLine(err)}` });
    }
  }
  return { ...chosen, candidates };
}

/** The tfjs backend for what tfjs still does beside the graphs: wasm, else plain JavaScript. */
async function sideBackend(): Promise<'wasm' | 'cpu'> {
  const wasm = await wasmProbe().activate('explicit').catch((err: Error): ProbeResult => ({ ok: false, status: 'unavailable', reason: err.message }));
  if (wasm.ok) return 'wasm';
  const cpu = await cpuProbe().activate('explicit');
  if (!cpu.ok) throw new Error(`no tfjs backend for model files: ${cpu.reason}`);
  return 'cpu';
}

export function onnxRuntimeProbe(loaders: ModuleLoaders, request: GraphEngineRequest): Probe {
  return {
    name: 'onnxruntime',
    chosenBecause: 'ONNX Runtime: each job\'s training step compiled as one graph on native kernels, the fastest engine',
    async activate(): Promise<ProbeResult> {
      let ort: typeof Ort;
      try {
        ort = loaders.requireModule(PACKAGE) as typeof Ort;
      } catch (err) {
        const reason = notInstalled(err, PACKAGE)
          ? `${PACKAGE} is not installed ("npm install" installs it; it ships its native library for linux x64/arm64, win32 x64/arm64 and darwin arm64)`
          : `its native library failed to load: ${firstLine(err)}`;
        return { ok: false, status: 'unavailable', reason };
      }
      const { provider, device, candidates } = await chooseProvider(ort, loaders, request.provider);
      if (!provider) {
        const why = candidates.filter((c) => c.status !== 'not-tried').map((c) => `${c.name}: ${c.reason}`).join('; ');
        return { ok: false, status: 'unavailable', reason: `no execution provider works (${why})` };
      }
      const tfjs = await sideBackend();
      useGraphRuntime(new GraphRuntime(ort, provider, request.threads));
      return { ok: true, device: device ?? `${provider}, ${request.threads} thread${request.threads === 1 ? '' : 's'}`, onnx: { provider, threads: request.threads, providers: candidates, tfjs } };
    },
  };
}
