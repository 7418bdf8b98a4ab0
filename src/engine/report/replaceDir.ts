/** Swaps a folder built beside its destination into place, so readers see the old one or the new one, never half of either. */
import * as fs from 'node:fs';

export function replaceDir(from: string, to: string): void {
  const old = `${to}.old-${process.pid}`;
  const hadOld = fs.existsSync(to);
  if (hadOld) fs.renameSync(to, old);
  fs.renameSync(from, to);
  if (hadOld) fs.rmSync(old, { recursive: true, force: true });
}
