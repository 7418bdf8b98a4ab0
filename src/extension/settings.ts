/** The `assignment2.*` settings, read and validated: a bad value is named, never silently used. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ExperimentOverrides } from '../shared/experiment/overrides';
import { SettingsError, overridesFromSettings } from './settingsOverrides';
import { BackendPreference } from '../shared/backends';

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

/** The settings the user has set, as experiment overrides; one left at its default is left to the shared defaults. */
export function settingsOverrides(): ExperimentOverrides {
  const s = section();
  return overridesFromSettings((key) => {
    const inspected = s.inspect(key);
    return inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
  });
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
