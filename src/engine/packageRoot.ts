import * as fs from 'node:fs';
import * as path from 'node:path';

export const PACKAGE_NAME = 'assignment2-workbench';

/**
 * The folder of this project's package.json, found by walking up: the same code runs from src/
 * (tests), from the bundles in dist/ and from dist/test/, at different depths.
 */
export function findPackageRoot(from = __dirname): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        if (JSON.parse(fs.readFileSync(manifest, 'utf8')).name === PACKAGE_NAME) return dir;
      } catch {
        // an unreadable package.json on the way up is not ours; keep walking
      }
    }
    if (path.dirname(dir) === dir) throw new Error(`No package.json named "${PACKAGE_NAME}" above ${from}`);
  }
}
