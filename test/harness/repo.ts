import * as fs from 'node:fs';
import * as path from 'node:path';

export const PACKAGE_NAME = 'assignment2-workbench';

/**
 * The bundled test scripts live at different depths under dist/test, so the repository root is
 * found by walking up to the package.json that names this extension rather than by fixed `..`s.
 */
export function findRepoRoot(start: string = __dirname): string {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        if (JSON.parse(fs.readFileSync(manifest, 'utf8')).name === PACKAGE_NAME) return dir;
      } catch {
        // An unreadable package.json on the way up is not ours; keep walking.
      }
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`No package.json named "${PACKAGE_NAME}" above ${start}`);
    }
  }
}

/** Fails early with the command that fixes it, instead of a confusing error deep inside VS Code. */
export function requireFile(file: string, hint: string): string {
  if (!fs.existsSync(file)) throw new Error(`Missing ${file}\n  ${hint}`);
  return file;
}
