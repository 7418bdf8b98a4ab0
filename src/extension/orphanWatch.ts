/**
 * Runs whose process died outside VS Code (a terminal's training killed, a closed laptop lid that ended
 * the terminal) change no file, so no watcher sees them. Every few seconds the running runs in the list
 * are checked against their owner; one whose owner is gone is marked interrupted (on disk, for every
 * reader) and re-read. Free of the vscode module.
 */
import { RunListItem } from '../runs/schema';
import { interruptIfOrphaned } from '../runs/store';

export const ORPHAN_CHECK_MS = 5_000;

export function watchOrphans(state: { runs(): RunListItem[]; refreshRun(dir: string): void }, everyMs = ORPHAN_CHECK_MS): { dispose(): void } {
  const timer = setInterval(() => {
    for (const item of state.runs()) {
      if (item.ok && item.run.status === 'running' && interruptIfOrphaned(item.dir, item.run).status !== 'running') state.refreshRun(item.dir);
    }
  }, everyMs);
  timer.unref?.();
  return { dispose: () => clearInterval(timer) };
}
