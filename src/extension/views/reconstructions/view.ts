/**
 * The Reconstructions side view: one autoencoder run's test digits, original above reconstructed,
 * per finished epoch. Same CSP and resource rules as the workbench panel; the webview names runs
 * only by id, and the host looks the folder up itself.
 */
import * as vscode from 'vscode';
import { HostToReconstructions, ReconstructionsRun, ReconstructionsToHost } from './protocol';
import { RunDetails, RunListItem } from '../../../runs/schema';
import { RunChange } from '../../runList';
import { dispatchMessage } from '../webviewMessages';
import { readRunDetails } from '../../../runs/files';
import { localResourceRoots, webviewHtml } from '../webviewHtml';
import { WorkbenchState } from '../../workbenchState';

export const RECONSTRUCTIONS_VIEW_ID = 'assignment2.reconstructions';

type AutoencoderRun = Extract<RunListItem, { ok: true }> & { run: { job: { kind: 'trainAutoencoder' } } };

function isAutoencoder(item: RunListItem): item is AutoencoderRun {
  return item.ok && item.run.job.kind === 'trainAutoencoder';
}

function entryOf({ run, metrics }: AutoencoderRun): ReconstructionsRun {
  return { id: run.id, name: run.name, status: run.status, epochs: metrics.length };
}

export interface ReconstructionsViewDeps {
  extensionUri: vscode.Uri;
  state: WorkbenchState;
  log(line: string): void;
}

export class ReconstructionsViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view?: vscode.WebviewView;
  /** Subscriptions that live as long as the current view. */
  private viewDisposables: vscode.Disposable[] = [];
  private readonly stateSubscriptions: vscode.Disposable[];
  private ready = false;
  private selected?: string;
  /** The page's latest selectRun: details go out only for that run, under its requestId. */
  private request?: { runId: string; requestId: string };
  /** What was last sent for the selected run, so unchanged snapshots are not sent again. */
  private sentKey?: string;

  constructor(private readonly deps: ReconstructionsViewDeps) {
    this.stateSubscriptions = [
      deps.state.onDidChange((what) => {
        if (what === 'runs') this.refresh();
      }),
      deps.state.onDidChangeRun((change) => this.onRunChanged(change)),
    ];
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.disposeView();
    this.view = view;
    view.webview.options = { enableScripts: true, localResourceRoots: localResourceRoots(this.deps.extensionUri) };
    view.webview.html = webviewHtml(view.webview, this.deps.extensionUri, {
      title: 'Reconstructions',
      stylesheets: [['media', 'workbench.css'], ['media', 'reconstructions.css']],
      script: ['dist', 'webview', 'reconstructions.js'],
      loadingText: 'Loading reconstructions…',
    });
    this.viewDisposables.push(
      view.webview.onDidReceiveMessage((raw) => this.receive(raw)),
      // Nothing is read or sent while the view is hidden, so catch up when it shows again. (Its page
      // is usually reloaded then, and says 'ready' again, which sends everything anyway.)
      view.onDidChangeVisibility(() => {
        this.sentKey = undefined;
        this.refresh();
      }),
      view.onDidDispose(() => this.disposeView()),
    );
  }

  /** Shows this run in the view, opening the view if need be. */
  showRun(runId: string): void {
    this.selected = runId;
    this.sentKey = undefined;
    if (this.view) this.view.show(true);
    else void vscode.commands.executeCommand(`${RECONSTRUCTIONS_VIEW_ID}.focus`);
    this.refresh();
  }

  private receive(raw: unknown): void {
    dispatchMessage(
      ReconstructionsToHost,
      raw,
      {
        ready: () => {
          this.ready = true;
          this.request = undefined;
          this.sentKey = undefined;
          this.refresh();
        },
        selectRun: ({ runId, requestId }) => {
          if (!this.find(runId)) {
            this.deps.log(`Reconstructions view: no autoencoder run ${runId}.`);
            this.postRuns();
            return;
          }
          this.selected = runId;
          this.request = { runId, requestId };
          this.sentKey = undefined;
          this.postDetails();
        },
      },
      (problem) => this.deps.log(`Reconstructions view: dropped a malformed message (${problem}).`),
    );
  }

  /** Re-sends the run list and the selected run's snapshots (on 'ready', when shown, after a full re-read). */
  private refresh(): void {
    if (!this.ready || !this.view?.visible) return;
    if (this.selected && !this.find(this.selected)) this.selected = undefined;
    this.postRuns();
    this.postDetails();
  }

  /** One run changed: its entry is sent, and its snapshots if it is the one shown. Hidden, the next refresh catches up. */
  private onRunChanged(change: RunChange): void {
    if (!this.ready || !this.view?.visible) return;
    const before = change.kind === 'added' ? undefined : change.kind === 'removed' ? change.item : change.previous;
    const now = change.kind === 'removed' || !isAutoencoder(change.item) ? undefined : change.item;
    if (now) {
      this.post({ type: 'run', run: entryOf(now) });
      if (now.run.id === this.selected) this.postDetails();
    } else if (before && isAutoencoder(before)) {
      this.post({ type: 'runRemoved', id: before.run.id });
      if (before.run.id === this.selected) this.selected = undefined;
    }
  }

  private autoencoderRuns(): AutoencoderRun[] {
    try {
      // The store lists newest first.
      return this.deps.state.runs().filter(isAutoencoder);
    } catch (err) {
      this.deps.log(`Reconstructions view: could not read the runs folder: ${(err as Error).message}`);
      return [];
    }
  }

  private find(runId: string): AutoencoderRun | undefined {
    return this.autoencoderRuns().find((item) => item.run.id === runId);
  }

  private postRuns(): void {
    this.post({ type: 'runs', runs: this.autoencoderRuns().map(entryOf), selected: this.selected });
  }

  /** The selected run's snapshots, as the answer to the page's request for it (none yet: the page will ask). */
  private postDetails(): void {
    const request = this.request;
    if (!request || request.runId !== this.selected) return;
    const item = this.find(request.runId);
    if (!item) return;
    const read = readRunDetails(item.dir);
    // Only the snapshots: the analysis and the latent points (large) are the workbench's business.
    const details: RunDetails = { runId: item.run.id, reconstructions: read.reconstructions, problems: read.problems };
    const snapshots = details.reconstructions;
    const key = [details.runId, snapshots?.epochs.length, snapshots?.epochs.at(-1)?.epoch, ...details.problems].join('\n');
    if (key === this.sentKey) return;
    this.sentKey = key;
    this.post({ type: 'details', requestId: request.requestId, details });
  }

  private post(message: HostToReconstructions): void {
    void this.view?.webview.postMessage(message);
  }


  private disposeView(): void {
    for (const d of this.viewDisposables.splice(0)) d.dispose();
    this.view = undefined;
    this.ready = false;
  }

  dispose(): void {
    this.disposeView();
    for (const subscription of this.stateSubscriptions) subscription.dispose();
  }
}
