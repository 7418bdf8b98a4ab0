/**
 * The runs folder as the views see it: listed once, then kept up to date one run folder at a time, so
 * an epoch costs a read of its own run rather than of every run on disk. Free of vscode, so unit tests
 * drive it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunListItem } from '../runs/schema';
import { METRICS_FILE, RUN_FILE, RunStore, readRun } from '../runs/store';
import { SNAPSHOTS_FILE } from '../runs/files';
import { KeyedDebounce } from './keyedDebounce';
import { upsertNewestFirst } from './views/newestFirst';

/** The files a run's list entry and its live views are read from. */
export const RUN_FILES = [RUN_FILE, METRICS_FILE, SNAPSHOTS_FILE];

/** One run changed: a new folder, a re-read one, or one whose folder is gone. */
export type RunChange =
  | { kind: 'added'; item: RunListItem }
  | { kind: 'updated'; item: RunListItem; previous: RunListItem }
  | { kind: 'removed'; item: RunListItem };

/** How long a run's files must be quiet before they are re-read, and the longest a re-read waits. */
export const DEBOUNCE_MS = 300;
export const MAX_WAIT_MS = 1000;

/** Inode, size and mtime of each file: while they stay the same, a re-read would find what is listed. */
function signatureOf(dir: string): string {
  return RUN_FILES.map((name) => {
    try {
      const stat = fs.statSync(path.join(dir, name));
      return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
    } catch {
      return '-';
    }
  }).join('|');
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

export class RunList {
  private items?: RunListItem[];
  /** Each folder's signature when it was last read alone (folders listed together have none yet). */
  private readonly readWith = new Map<string, string>();
  private readonly debounce: KeyedDebounce<string>;

  constructor(
    private readonly store: () => RunStore,
    private readonly changed: (change: RunChange) => void,
    debounceMs = DEBOUNCE_MS,
    maxWaitMs = MAX_WAIT_MS,
  ) {
    this.debounce = new KeyedDebounce((dir) => this.refresh(dir), debounceMs, maxWaitMs);
  }

  /** Every run, newest first; the first call (and the first after reset) reads every folder. */
  all(): RunListItem[] {
    this.items ??= this.store().list();
    return this.items;
  }

  /** The listed run of this folder, if any. */
  find(dir: string): RunListItem | undefined {
    return this.items?.find((item) => item.dir === dir);
  }

  /** Forgets the list (and any re-read that was due), so the next all() reads every folder again. */
  reset(): void {
    this.items = undefined;
    this.readWith.clear();
    this.debounce.cancelAll();
  }

  /**
   * Re-reads one run folder now, given its run id, its folder or a file in it, and reports what changed:
   * a folder that is gone is removed. Files unchanged since this folder's last read are not read again.
   */
  refresh(runIdOrPath: string): void {
    const dir = this.folderOf(runIdOrPath);
    if (!dir) return;
    this.debounce.cancel(dir);
    // Nothing listed yet: the first all() reads this folder with the others.
    if (!this.items) return;
    const previous = this.find(dir);
    if (!isDirectory(dir)) {
      if (!previous) return;
      this.items = this.items.filter((item) => item !== previous);
      this.readWith.delete(dir);
      this.changed({ kind: 'removed', item: previous });
      return;
    }
    // Taken before the read, so a write during the read shows as a change next time.
    const signature = signatureOf(dir);
    if (previous && this.readWith.get(dir) === signature) return;
    const item = readRun(dir);
    this.readWith.set(dir, signature);
    this.items = upsertNewestFirst(this.items, item, (entry) => entry.dir);
    this.changed(previous ? { kind: 'updated', item, previous } : { kind: 'added', item });
  }

  /** Like refresh, once the run's burst of changes (files written, engine events) is over. */
  refreshSoon(runIdOrPath: string): void {
    const dir = this.folderOf(runIdOrPath);
    if (dir) this.debounce.schedule(dir);
  }

  dispose(): void {
    this.debounce.cancelAll();
  }

  /** The run folder named by a run id, or by an absolute path inside it; undefined for other paths. */
  private folderOf(runIdOrPath: string): string | undefined {
    const store = this.store();
    if (!path.isAbsolute(runIdOrPath)) return store.dirOf(runIdOrPath);
    const relative = path.relative(store.runsDir, runIdOrPath);
    if (!relative || path.isAbsolute(relative)) return undefined;
    const [name] = relative.split(path.sep);
    // Outside the runs folder ('..'), or hidden: RunStore.list() skips those too.
    if (name.startsWith('.')) return undefined;
    return path.join(store.runsDir, name);
  }
}
