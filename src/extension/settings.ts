/** The `assignment2.*` settings, read and validated: a bad value is named, never silently used. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { AutoencoderConfig, DisNetConfig } from '../shared/jobs/specs';
import { BackendPreference } from '../shared/backends';

export class SettingsError extends Error {}

const CONFIG_KEYS = {
  architecture: 'architecture',
  seed: 'seed',
  epochs: 'epochs',
  batchSize: 'batchSize',
  learningRate: 'learningRate',
  trainImages: 'trainImages',
  testImages: 'testImages',
} as const satisfies Partial<Record<keyof AutoencoderConfig, string>>;

function section() {
  return vscode.workspace.getConfiguration('assignment2');
}

export function backendPreference(): BackendPreference {
  const value = section().get('backend', 'auto');
  const parsed = BackendPreference.safeParse(value);
  if (!parsed.success) {
    throw new SettingsError(`assignment2.backend is "${value}"; it must be one of ${BackendPreference.options.join(', ')}.`);
  }
  return parsed.data;
}

/** ONNX Runtime's threads in the engine: 0 (the default) means every core. */
export function engineThreads(): number {
  const threads = section().get<number>('threads', 0);
  if (!Number.isInteger(threads) || threads < 0 || threads > 1024) {
    throw new SettingsError(`assignment2.threads is ${threads}; it must be a whole number from 0 (every core) to 1024.`);
  }
  return threads;
}

/** How long the engine may be silent before it counts as hung, in milliseconds. */
export function engineTimeoutMs(): number {
  const seconds = section().get<number>('engineTimeout', 60);
  if (!Number.isInteger(seconds) || seconds < 2 || seconds > 3600) {
    throw new SettingsError(`assignment2.engineTimeout is ${seconds}; it must be a whole number of seconds from 2 to 3600.`);
  }
  return seconds * 1000;
}

/** Training settings for one latent size, checked against the same schema the engine enforces. */
export function autoencoderConfig(latent: number, overrides: Partial<AutoencoderConfig> = {}): AutoencoderConfig {
  const s = section();
  const candidate: Record<string, unknown> = { latent };
  for (const [field, key] of Object.entries(CONFIG_KEYS)) candidate[field] = s.get(key);
  Object.assign(candidate, overrides);
  const parsed = AutoencoderConfig.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path[0] as keyof typeof CONFIG_KEYS;
    const name = field in CONFIG_KEYS && !(field in overrides) ? `assignment2.${CONFIG_KEYS[field]}` : String(field);
    throw new SettingsError(`${name} is ${JSON.stringify(candidate[field])}: ${issue.message}. Fix it in the Settings editor.`);
  }
  return parsed.data;
}

/**
 * Where run folders live: the setting if given (relative to the first workspace folder), else
 * <workspace>/.assignment2/runs, else the extension's global storage when no folder is open.
 */
export function runsDirectory(globalStorage: vscode.Uri): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  // In a restricted workspace VS Code returns only the user's value of this setting (see package.json).
  const configured = section().get<string>('runsDirectory', '').trim();
  if (configured) return path.resolve(folder ?? globalStorage.fsPath, configured);
  if (folder) return path.join(folder, '.assignment2', 'runs');
  return path.join(globalStorage.fsPath, 'runs');
}

/** dis_net's training: the shared settings (seed, batch, images) with its own defaults, or arguments. */
export function disNetConfig(rawArgs?: unknown): DisNetConfig {
  const s = section();
  const candidate = {
    blur: { sigma: s.get('blurSigma', 1), kernelSize: 0 },
    epochs: 2,
    batchSize: s.get('batchSize'),
    learningRate: 0.003,
    trainImages: s.get('trainImages'),
    testImages: s.get('testImages'),
    seed: s.get('seed'),
    ...(rawArgs as object | undefined),
  };
  const parsed = DisNetConfig.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.join('.');
    const given = rawArgs !== null && typeof rawArgs === 'object' && String(issue.path[0]) in rawArgs;
    const setting = where === 'blur.sigma' ? 'blurSigma' : CONFIG_KEYS[where as keyof typeof CONFIG_KEYS];
    const name = setting && !given ? `assignment2.${setting}` : `dis_net's ${where}`;
    const value = issue.path.reduce<unknown>((o, k) => (o as Record<PropertyKey, unknown> | undefined)?.[k], candidate);
    throw new SettingsError(`${name} is ${JSON.stringify(value)}: ${issue.message}. Fix it in the Settings editor.`);
  }
  return parsed.data;
}
