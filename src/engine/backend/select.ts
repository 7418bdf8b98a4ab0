/**
 * Backend choice: in 'auto' mode the first candidate that loads wins, in the order of BACKEND_NAMES
 * (fastest first); a backend named explicitly is the only one tried, and its failure is an error
 * rather than a silent fallback. Every candidate ends up with a status and a reason the user can read.
 */
import { BACKEND_NAMES, BackendCandidate, BackendInfo, BackendName, BackendPreference } from '../../shared/backends';

export type ProbeResult =
  | { ok: true; device?: string; onnx?: BackendInfo['onnx'] }
  /** 'passed-over': it works but is the wrong choice here (a software GPU adapter slower than wasm). */
  | { ok: false; status: 'unavailable' | 'passed-over'; reason: string };

export interface Probe {
  name: BackendName;
  /** Loads and activates the backend; only called until one succeeds. */
  activate(mode: 'auto' | 'explicit'): Promise<ProbeResult>;
  /** Why this backend is chosen, when it is. */
  chosenBecause: string;
}

export interface Selection {
  chosen: BackendName;
  candidates: BackendCandidate[];
  device?: string;
  onnx?: BackendInfo['onnx'];
}

/** The backend a preference names: 'onnxruntime-<provider>' is ONNX Runtime on that provider. */
export const backendOf = (preference: BackendPreference): BackendName | 'auto' => (preference.startsWith('onnxruntime') ? 'onnxruntime' : (preference as BackendName | 'auto'));

export class BackendUnavailableError extends Error {}

export async function selectBackend(preference: BackendPreference, probes: readonly Probe[]): Promise<Selection> {
  const byName = new Map(probes.map((p) => [p.name, p]));
  const order = BACKEND_NAMES.filter((n) => byName.has(n));
  const candidates = new Map<BackendName, BackendCandidate>();
  let chosen: { name: BackendName; device?: string; onnx?: BackendInfo['onnx'] } | undefined;
  const wanted = backendOf(preference);

  for (const name of order) {
    if (chosen) {
      candidates.set(name, { name, status: 'not-tried', reason: `not needed: ${chosen.name} comes first` });
      continue;
    }
    if (wanted !== 'auto' && wanted !== name) {
      candidates.set(name, { name, status: 'not-tried', reason: `assignment2.backend is set to "${preference}"` });
      continue;
    }
    const probe = byName.get(name)!;
    let result: ProbeResult;
    try {
      result = await probe.activate(preference === 'auto' ? 'auto' : 'explicit');
    } catch (err) {
      result = { ok: false, status: 'unavailable', reason: `failed to start: ${(err as Error).message}` };
    }
    if (result.ok) {
      chosen = { name, device: result.device, onnx: result.onnx };
      candidates.set(name, { name, status: 'chosen', reason: probe.chosenBecause });
    } else {
      candidates.set(name, { name, status: result.status, reason: result.reason });
      if (wanted !== 'auto') {
        throw new BackendUnavailableError(
          `The backend "${name}" set in assignment2.backend cannot be used: ${result.reason}. Set it to "auto" to use the best available one.`,
        );
      }
    }
  }
  if (!chosen) throw new BackendUnavailableError('No backend could be started.');
  return { chosen: chosen.name, device: chosen.device, onnx: chosen.onnx, candidates: BACKEND_NAMES.filter((n) => candidates.has(n)).map((n) => candidates.get(n)!) };
}
