/**
 * What every view shows, in one place: runs on disk, the engine's backend, the running job.
 * Views subscribe to onDidChange and pull a snapshot; nothing here holds the only copy of a result.
 */
import * as vscode from 'vscode';
import { ActiveJob, WorkbenchSnapshot } from './views/workbench/protocol';
import { BackendInfo } from '../shared/backends';
import { RunListItem } from '../runs/schema';
import { RunStore } from '../runs/store';

export class WorkbenchState implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<'runs' | 'backend' | 'job'>();
  readonly onDidChange = this.changed.event;
  private backendInfo?: BackendInfo;
  private activeJob?: ActiveJob;
  private runsCache?: RunListItem[];

  constructor(readonly store: () => RunStore) {}

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
    this.runsCache ??= this.store().list();
    return this.runsCache;
  }

  /** Call when run folders may have changed on disk. */
  refreshRuns(): void {
    this.runsCache = undefined;
    this.changed.fire('runs');
  }

  snapshot(): WorkbenchSnapshot {
    return { runs: this.runs(), backend: this.backendInfo, job: this.activeJob };
  }

  dispose(): void {
    this.changed.dispose();
  }
}
