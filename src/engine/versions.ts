/** Versions recorded in every run.json and shown by `assignment2 info`. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { version_core } from '@tensorflow/tfjs-core';

const PACKAGE_NAME = 'assignment2-workbench';

/** The project's package.json: found by walking up, so it works from src/ and from the bundle in dist/. */
export function findPackageRoot(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file) && JSON.parse(fs.readFileSync(file, 'utf8')).name === PACKAGE_NAME) return dir;
    if (path.dirname(dir) === dir) throw new Error(`package.json of ${PACKAGE_NAME} not found above ${from}`);
  }
}

let cached: Record<string, string> | undefined;

export function packageVersions(): Record<string, string> {
  if (!cached) {
    const own = JSON.parse(fs.readFileSync(path.join(findPackageRoot(), 'package.json'), 'utf8')) as { version: string };
    cached = { [PACKAGE_NAME]: own.version, 'tfjs-core': version_core, node: process.versions.node };
  }
  return cached;
}
