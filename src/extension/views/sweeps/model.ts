/**
 * The sweeps as last read, kept current without a manual refresh: a file-system watcher on the sweeps
 * folder (sweep.json, the task states Slurm's array tasks write, the report) and, for network folders
 * and containers whose file events arrive late or never, a check every few seconds of the files' times.
 * Bursts of either (a sweep rewrites sweep.json at every task) are read once.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { KeyedDebounce } from '../../keyedDebounce';
import { RUNS_POLL_MS } from '../../runsPoll';
import { SweepListItem, listSweeps, sweepsFingerprint } from './sweepList';

export class SweepsModel implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private list?: SweepListItem[];
  private fingerprint = '';
  private watcher?: vscode.Disposable;
  /** Whether the watched folder existed when watched: one made later is watched anew. */
  private watchedExisting = false;
  private readonly debounce = new KeyedDebounce<'sweeps'>(() => this.refresh(), 200, 1_000);
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(private readonly sweepsDir: () => string) {
    this.watch();
    this.timer = setInterval(() => this.poll(), RUNS_POLL_MS);
    this.timer.unref?.();
  }

  sweeps(): SweepListItem[] {
    if (!this.list) this.read();
    return this.list!;
  }

  /** Re-reads every sweep now and tells the views. */
  refresh(): void {
    this.debounce.cancel('sweeps');
    this.read();
    this.changed.fire();
  }

  /** After the runs folder setting changed: the sweeps beside the new one. */
  repoint(): void {
    this.watch();
    this.refresh();
  }

  private read(): void {
    const dir = this.sweepsDir();
    this.fingerprint = sweepsFingerprint(dir);
    this.list = listSweeps(dir);
  }

  private poll(): void {
    const dir = this.sweepsDir();
    if (!this.watchedExisting && fs.existsSync(dir)) this.watch();
    if (sweepsFingerprint(dir) !== this.fingerprint) this.debounce.schedule('sweeps');
  }

  private watch(): void {
    this.watcher?.dispose();
    const dir = this.sweepsDir();
    this.watchedExisting = fs.existsSync(dir);
    const base = vscode.Uri.file(dir);
    const files = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(base, '**/*.{json,html}'));
    // A folder deleted as a whole may be reported for the folder alone, not for the files in it.
    const folders = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(base, '*'), false, true, false);
    const soon = () => this.debounce.schedule('sweeps');
    this.watcher = vscode.Disposable.from(files, folders, files.onDidCreate(soon), files.onDidChange(soon), files.onDidDelete(soon), folders.onDidCreate(soon), folders.onDidDelete(soon));
  }

  dispose(): void {
    clearInterval(this.timer);
    this.debounce.cancelAll();
    this.watcher?.dispose();
    this.changed.dispose();
  }
}
