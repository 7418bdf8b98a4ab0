/** The training backends and ONNX Runtime's providers: what a run records and the panel shows. */
import { z } from './zod';

// Backends

/** ONNX Runtime (graphs compiled per job) first; the TensorFlow.js backends are the fallback. */
export const BACKEND_NAMES = ['onnxruntime', 'tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export const BackendName = z.enum(BACKEND_NAMES);
export type BackendName = z.infer<typeof BackendName>;
export type TfjsBackendName = Exclude<BackendName, 'onnxruntime'>;

/** ONNX Runtime's execution providers, in the order 'auto' tries them. */
export const PROVIDERS = ['cuda', 'dml', 'webgpu', 'cpu'] as const;
export const Provider = z.enum(PROVIDERS);
export type Provider = z.infer<typeof Provider>;

/** 'onnxruntime' picks its provider; 'onnxruntime-<provider>' insists on one. */
export const BackendPreference = z.enum(['auto', ...BACKEND_NAMES, 'onnxruntime-cuda', 'onnxruntime-dml', 'onnxruntime-webgpu', 'onnxruntime-cpu']);
export type BackendPreference = z.infer<typeof BackendPreference>;

export const CandidateStatus = z.enum(['chosen', 'unavailable', 'passed-over', 'not-tried']);

export const BackendCandidate = z.object({
  name: BackendName,
  status: CandidateStatus,
  /** Why it was chosen or not, in words a user can act on. */
  reason: z.string(),
});
export type BackendCandidate = z.infer<typeof BackendCandidate>;

export const ProviderCandidate = z.object({ name: Provider, status: CandidateStatus, reason: z.string() });
export type ProviderCandidate = z.infer<typeof ProviderCandidate>;

/** The graph engine's settings, as a run records them. */
export const GraphEngine = z.object({
  provider: Provider,
  /** ONNX Runtime's intra-op threads. */
  threads: z.number().int().min(1).max(1024),
});
export type GraphEngine = z.infer<typeof GraphEngine>;

export const BackendInfo = z.object({
  chosen: BackendName,
  /** With ONNX Runtime: its provider and threads, why each other provider was passed over, and the tfjs backend for the rest (model files, images). */
  onnx: GraphEngine.extend({ providers: z.array(ProviderCandidate), tfjs: BackendName }).optional(),
  preference: BackendPreference,
  candidates: z.array(BackendCandidate),
  versions: z.record(z.string(), z.string()),
  /** Device description where the backend has one (WebGPU adapter, CUDA device). */
  device: z.string().optional(),
});
export type BackendInfo = z.infer<typeof BackendInfo>;
