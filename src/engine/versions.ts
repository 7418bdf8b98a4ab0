/** Versions recorded in every run.json and shown by `assignment2 info`. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { version_core } from '@tensorflow/tfjs-core';
import { PACKAGE_NAME, findPackageRoot } from './packageRoot';

let cached: Record<string, string> | undefined;

export function packageVersions(): Record<string, string> {
  if (!cached) {
    const own = JSON.parse(fs.readFileSync(path.join(findPackageRoot(), 'package.json'), 'utf8')) as { version: string };
    cached = { [PACKAGE_NAME]: own.version, 'tfjs-core': version_core, node: process.versions.node };
    try {
      cached['onnxruntime-node'] = (require('onnxruntime-node/package.json') as { version: string }).version;
    } catch {
      // not installed: the tfjs fallback runs, and the backend info says why
    }
  }
  return cached;
}
