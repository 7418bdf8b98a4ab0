/** Starts the engine's tfjs backend once per process and describes the choice. */
import { BackendInfo, BackendPreference } from '../../shared/protocol';
import { packageVersions } from '../versions';
import { createProbes } from './probes';
import { selectBackend } from './select';

let started: Promise<BackendInfo> | undefined;
let startedWith: BackendPreference | undefined;

export function initBackend(preference: BackendPreference): Promise<BackendInfo> {
  if (started && startedWith !== preference) {
    throw new Error(`The engine already runs on its "${startedWith}" backend choice; restart it to use "${preference}".`);
  }
  startedWith = preference;
  started ??= selectBackend(preference, createProbes()).then(
    (selection) => ({ ...selection, preference, versions: packageVersions() }),
    (err) => {
      started = undefined; // a failed start may be retried, e.g. after installing a package
      throw err;
    },
  );
  return started;
}
