/**
 * What no file watcher reports, checked every few seconds: a run whose process died outside VS Code
 * (a terminal's training killed, a closed laptop lid that ended the terminal) changes no file, and on
 * network folders (a cluster's shared runs folder) and some containers file events arrive late or not
 * at all. So the running runs in the list are checked against their owner (one whose owner is gone is
 * marked interrupted, on disk, for every reader) and the runs folder's entries against the list.
 * Free of the vscode module.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunListItem } from '../runs/schema';
import { interruptIfOrphaned } from '../runs/store';

export const RUNS_POLL_MS = 5_000;

interface PolledState {
  runs(): RunListItem[];
  refreshRun(dir: string): void;
}

/** Run folders on disk that the list lacks, and listed ones that are gone. */
function unlisted(runsDir: string, listed: Set<string>): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(runsDir).filter((name) => !name.startsWith('.'));
  } catch {
    return [...listed];
  }
  const onDisk = new Set(names.map((name) => path.join(runsDir, name)));
  return [...[...onDisk].filter((dir) => !listed.has(dir)), ...[...listed].filter((dir) => !onDisk.has(dir))];
}

export function pollRuns(runsDir: () => string, state: PolledState, everyMs = RUNS_POLL_MS): { dispose(): void } {
  const timer = setInterval(() => {
    const runs = state.runs();
    for (const dir of unlisted(runsDir(), new Set(runs.map((item) => item.dir)))) state.refreshRun(dir);
    for (const item of runs) {
      if (item.ok && item.run.status === 'running' && interruptIfOrphaned(item.dir, item.run).status !== 'running') state.refreshRun(item.dir);
    }
  }, everyMs);
  timer.unref?.();
  return { dispose: () => clearInterval(timer) };
}
