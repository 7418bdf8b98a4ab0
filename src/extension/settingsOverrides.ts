/**
 * The `assignment2.*` settings as experiment overrides: each setting is one path of
 * ExperimentOverrides, the command line's flags are another way to the same paths, and neither holds a
 * default (the shared defaults do). Free of the vscode module, so that a test can set settings and flags
 * side by side and compare the job specifications they make.
 */
import { ExperimentOverrides, OverrideError, overridesFrom } from '../shared/experiment/overrides';

/** Setting key (under assignment2.) → path in the overrides. */
export const SETTING_PATHS = {
  architecture: 'autoencoder.architecture',
  seed: 'autoencoder.seed',
  epochs: 'autoencoder.epochs',
  batchSize: 'autoencoder.batchSize',
  learningRate: 'autoencoder.learningRate',
  trainImages: 'autoencoder.trainImages',
  testImages: 'autoencoder.testImages',
  blurSigma: 'disNet.sigma',
} as const;

export class SettingsError extends Error {}

/** The settings a user has set (`read` returns undefined for one left at its default), as overrides. */
export function overridesFromSettings(read: (key: string) => unknown): ExperimentOverrides {
  const raw: Record<string, Record<string, unknown>> = {};
  for (const [key, path] of Object.entries(SETTING_PATHS)) {
    const value = read(key);
    if (value === undefined) continue;
    const [group, field] = path.split('.');
    (raw[group] ??= {})[field] = value;
  }
  return namingSettings(() => overridesFrom(raw));
}

/** Runs `make`, turning an impossible override into an error that names the setting that set it. */
export function namingSettings<T>(make: () => T): T {
  try {
    return make();
  } catch (err) {
    if (!(err instanceof OverrideError)) throw err;
    const setting = Object.entries(SETTING_PATHS).find(([, path]) => path === err.source)?.[0];
    throw new SettingsError(`${setting ? `assignment2.${setting}` : err.path}: ${err.problem}. Fix it in the Settings editor.`);
  }
}
