/**
 * What every view shows, in one place: runs on disk, the engine's backend, the running job.
 * Views pull a snapshot on onDidChange and apply single runs from onDidChangeRun; nothing here holds
 * the only copy of a result.
 */
import * as vscode from 'vscode';
import { ActiveJob, WorkbenchSnapshot } from './views/workbench/protocol';
import { BackendInfo } from '../shared/backends';
import { RunListItem } from '../runs/schema';
import { RunStore } from '../runs/store';
import { RunChange, RunList } from './runList';

export class WorkbenchState implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<'runs' | 'backend' | 'job'>();
  /** The whole run list (after a full refresh), the backend or the job changed. */
  readonly onDidChange = this.changed.event;
  private readonly runChanged = new vscode.EventEmitter<RunChange>();
  /** One run was added, re-read or removed; the rest of the list is as it was. */
  readonly onDidChangeRun = this.runChanged.event;
  private backendInfo?: BackendInfo;
  private activeJob?: ActiveJob;
  private readonly list: RunList;

  constructor(readonly store: () => RunStore) {
    this.list = new RunList(store, (change) => this.runChanged.fire(change));
  }

  get backend(): BackendInfo | undefined {
    return this.backendInfo;
  }

  set backend(info: BackendInfo | undefined) {
    this.backendInfo = info;
    this.changed.fire('backend');
  }

  get job(): ActiveJob | undefined {
    return this.activeJob;
  }

  set job(job: ActiveJob | undefined) {
    this.activeJob = job;
    this.changed.fire('job');
  }

  runs(): RunListItem[] {
    return this.list.all();
  }

  /** The listed run of this folder, as last read. */
  findRun(dir: string): RunListItem | undefined {
    return this.list.find(dir);
  }

  /** Re-reads every run folder: the runs folder moved, or the user asked. */
  refreshRuns(): void {
    this.list.reset();
    this.changed.fire('runs');
  }

  /**
   * Re-reads one run (by id, or its folder) now, if its files changed since it was last read, and
   * tells the views; a folder that is gone is removed. For a job's start and end.
   */
  refreshRun(runIdOrDir: string): void {
    this.list.refresh(runIdOrDir);
  }

  /**
   * The same, once the run's burst of changes is over (300 ms quiet, 1 s at most): the file watcher and
   * the engine's per-epoch event both call this, so an epoch is read once. Takes a file in the folder too.
   */
  refreshRunSoon(runIdOrPath: string): void {
    this.list.refreshSoon(runIdOrPath);
  }

  snapshot(): WorkbenchSnapshot {
    return { runs: this.runs(), backend: this.backendInfo, job: this.activeJob };
  }

  dispose(): void {
    this.list.dispose();
    this.changed.dispose();
    this.runChanged.dispose();
  }
}
