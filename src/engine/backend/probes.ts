/**
 * The real backend probes. Optional native packages are required by name at run time (they are
 * external to the bundle); the wasm and WebGPU backends are bundled but loaded lazily, because the
 * WebGPU backend registers itself only if `navigator.gpu` already exists when its module runs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { Probe, ProbeResult } from './select';
import { installWasmConvKernels } from './wasmConvKernels';
import { installWasmMatMulFix } from './wasmMatMulFix';

export interface ModuleLoaders {
  /** Node's require for CommonJS packages (tfjs-node). */
  requireModule(name: string): unknown;
  /** Dynamic import for ES-module packages (webgpu). */
  importModule(name: string): Promise<unknown>;
}

export const defaultLoaders: ModuleLoaders = {
  requireModule: (name) => require(name),
  importModule: (name) => import(name),
};

export function notInstalled(err: unknown, name: string): boolean {
  const e = err as NodeJS.ErrnoException;
  return (e.code === 'MODULE_NOT_FOUND' || e.code === 'ERR_MODULE_NOT_FOUND') && e.message.includes(name);
}

export function firstLine(err: unknown): string {
  return String((err as Error).message ?? err).split('\n')[0];
}

export function tensorflowProbe(name: 'tensorflow-gpu' | 'tensorflow', loaders: ModuleLoaders): Probe {
  const pkg = name === 'tensorflow-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
  const hint =
    name === 'tensorflow-gpu'
      ? `run "npm install ${pkg}" on a machine with CUDA 11.2 and cuDNN 8.1`
      : `run "npm install ${pkg}" (its install step downloads libtensorflow)`;
  return {
    name,
    chosenBecause: name === 'tensorflow-gpu' ? 'native TensorFlow with CUDA: the fastest' : 'native TensorFlow on the CPU',
    async activate(): Promise<ProbeResult> {
      try {
        loaders.requireModule(pkg);
      } catch (err) {
        const reason = notInstalled(err, pkg) ? `${pkg} is not installed: ${hint}` : `${pkg} failed to load: ${firstLine(err)}`;
        return { ok: false, status: 'unavailable', reason };
      }
      // tfjs-node registers 'tensorflow' in the global tfjs registry, which every tfjs-core copy shares.
      if (!(await tf.setBackend('tensorflow'))) {
        return { ok: false, status: 'unavailable', reason: `${pkg} loaded but its backend did not initialise` };
      }
      return { ok: true };
    },
  };
}

interface GpuAdapterLike {
  isFallbackAdapter?: boolean;
  info?: { vendor?: string; architecture?: string; device?: string; description?: string; type?: string };
}

type DawnGpu = { requestAdapter(options?: { featureLevel?: string }): Promise<GpuAdapterLike | null> };

/** A WebGPU adapter through Dawn (the npm package 'webgpu'), with whether it is a software one. */
export async function findWebGpuAdapter(loaders: ModuleLoaders): Promise<{ ok: true; gpu: DawnGpu; device: string; software: boolean } | { ok: false; reason: string }> {
  let dawn: { create(flags: string[]): DawnGpu; globals: object };
  try {
    dawn = (await loaders.importModule('webgpu')) as typeof dawn;
  } catch (err) {
    const reason = notInstalled(err, 'webgpu')
      ? 'the npm package "webgpu" is not installed (it is optional: "npm install webgpu")'
      : `the npm package "webgpu" failed to load: ${firstLine(err)}`;
    return { ok: false, reason };
  }
  Object.assign(globalThis, dawn.globals);
  let gpu = dawn.create([]);
  let adapter = await gpu.requestAdapter();
  if (!adapter && process.platform === 'linux') {
    // No Vulkan driver: Dawn's OpenGL ES backend over headless EGL (Mesa's llvmpipe on a machine
    // without a GPU). It offers only WebGPU's compatibility level, which tfjs must then ask for too.
    process.env.EGL_PLATFORM ??= 'surfaceless';
    const gl = dawn.create(['backend=opengles']);
    gpu = { requestAdapter: (options) => gl.requestAdapter({ featureLevel: 'compatibility', ...options }) };
    adapter = await gpu.requestAdapter();
  }
  if (!adapter) return { ok: false, reason: 'no WebGPU adapter: Dawn found no Vulkan, Metal, D3D12 or OpenGL ES driver' };
  const info = adapter.info ?? {};
  const device = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ').trim() || 'unknown adapter';
  const software = adapter.isFallbackAdapter === true || info.type === 'CPU' || /llvmpipe|lavapipe|swiftshader|software/i.test(device);
  return { ok: true, gpu, device, software };
}

export function webgpuProbe(loaders: ModuleLoaders): Probe {
  return {
    name: 'webgpu',
    chosenBecause: 'a hardware GPU adapter through WebGPU (no CUDA needed)',
    async activate(mode): Promise<ProbeResult> {
      const found = await findWebGpuAdapter(loaders);
      if (!found.ok) return { ok: false, status: 'unavailable', reason: found.reason };
      const { gpu, device } = found;
      if (found.software && mode === 'auto') {
        return {
          ok: false,
          status: 'passed-over',
          reason: `only a software adapter (${device}); on a CPU the wasm backend is faster. Set assignment2.backend to "webgpu" to use it anyway`,
        };
      }
      const g = globalThis as { navigator?: object };
      if (!g.navigator) Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
      Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
      await import('@tensorflow/tfjs-backend-webgpu');
      if (!(await tf.setBackend('webgpu'))) {
        return { ok: false, status: 'unavailable', reason: `tfjs could not initialise WebGPU on ${device}` };
      }
      return { ok: true, device };
    },
  };
}

/** The folder with the backend's .wasm files: next to the bundle, else in the installed package. */
export function findWasmDir(): string {
  const candidates = [__dirname];
  try {
    candidates.push(path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist'));
  } catch {
    // not installed beside us: only the bundle's own copy can serve
  }
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'tfjs-backend-wasm-simd.wasm')));
  if (!found) throw new Error(`tfjs-backend-wasm-simd.wasm not found in ${candidates.join(' or ')}`);
  return found;
}

export function wasmProbe(): Probe {
  return {
    name: 'wasm',
    chosenBecause: 'WebAssembly with SIMD (XNNPACK; transposed matmuls materialised, convolution gradients added): the fastest CPU backend without native TensorFlow',
    async activate(): Promise<ProbeResult> {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      wasm.setWasmPaths(findWasmDir() + path.sep);
      installWasmMatMulFix();
      installWasmConvKernels();
      if (!(await tf.setBackend('wasm'))) {
        return { ok: false, status: 'unavailable', reason: 'the WebAssembly module did not initialise' };
      }
      return { ok: true };
    },
  };
}

export function cpuProbe(): Probe {
  return {
    name: 'cpu',
    chosenBecause: 'plain JavaScript: always available, but slow',
    async activate(): Promise<ProbeResult> {
      await import('@tensorflow/tfjs-backend-cpu');
      if (!(await tf.setBackend('cpu'))) return { ok: false, status: 'unavailable', reason: 'did not initialise' };
      return { ok: true };
    },
  };
}
