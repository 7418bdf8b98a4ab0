import * as fs from 'node:fs';

export { findPackageRoot as findRepoRoot } from '../../src/engine/packageRoot';

/** Fails early with the command that fixes it, instead of a confusing error deep inside VS Code. */
export function requireFile(file: string, hint: string): string {
  if (!fs.existsSync(file)) throw new Error(`Missing ${file}\n  ${hint}`);
  return file;
}
