/**
 * The Reconstructions side view: one autoencoder run's test digits, original above reconstructed,
 * per finished epoch. Same CSP and resource rules as the workbench panel; the webview names runs
 * only by id, and the host looks the folder up itself.
 */
import * as vscode from 'vscode';
import { HostToReconstructions, ReconstructionsToHost, RunDetails, RunListItem, parseMessage } from '../shared/protocol';
import { readRunDetails } from '../runs/files';
import { createNonce } from './nonce';
import { WorkbenchState } from './workbenchState';

export const RECONSTRUCTIONS_VIEW_ID = 'assignment2.reconstructions';

type AutoencoderRun = Extract<RunListItem, { ok: true }>;

export interface ReconstructionsViewDeps {
  extensionUri: vscode.Uri;
  state: WorkbenchState;
  log(line: string): void;
}

export class ReconstructionsViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view?: vscode.WebviewView;
  /** Subscriptions that live as long as the current view. */
  private viewDisposables: vscode.Disposable[] = [];
  private readonly stateSubscription: vscode.Disposable;
  private ready = false;
  private selected?: string;
  /** What was last sent for the selected run, so the two refreshes per epoch send it once. */
  private sentKey?: string;

  constructor(private readonly deps: ReconstructionsViewDeps) {
    this.stateSubscription = deps.state.onDidChange((what) => {
      if (what === 'runs') this.refresh();
    });
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.disposeView();
    this.view = view;
    const roots = [vscode.Uri.joinPath(this.deps.extensionUri, 'dist'), vscode.Uri.joinPath(this.deps.extensionUri, 'media')];
    view.webview.options = { enableScripts: true, localResourceRoots: roots };
    view.webview.html = this.html(view.webview);
    this.viewDisposables.push(
      view.webview.onDidReceiveMessage((raw) => this.receive(raw)),
      // A hidden view loses its page and says 'ready' again when shown; until then nothing is posted.
      view.onDidChangeVisibility(() => {
        if (!view.visible) this.ready = false;
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
    const parsed = parseMessage(ReconstructionsToHost, raw);
    if (!parsed.ok) {
      this.deps.log(`Reconstructions view: dropped a malformed message (${parsed.error}).`);
      return;
    }
    const message = parsed.value;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.sentKey = undefined;
        this.refresh();
        return;
      case 'selectRun':
        if (!this.find(message.runId)) {
          this.deps.log(`Reconstructions view: no autoencoder run ${message.runId}.`);
          this.postRuns();
          return;
        }
        this.selected = message.runId;
        this.sentKey = undefined;
        this.postDetails();
        return;
    }
  }

  /** Re-sends the run list and the selected run's snapshots (after each epoch, say). */
  private refresh(): void {
    if (!this.ready) return;
    if (this.selected && !this.find(this.selected)) this.selected = undefined;
    this.postRuns();
    this.postDetails();
  }

  private autoencoderRuns(): AutoencoderRun[] {
    try {
      // The store lists newest first.
      return this.deps.state.runs().filter((item): item is AutoencoderRun => item.ok && item.run.job.kind === 'trainAutoencoder');
    } catch (err) {
      this.deps.log(`Reconstructions view: could not read the runs folder: ${(err as Error).message}`);
      return [];
    }
  }

  private find(runId: string): AutoencoderRun | undefined {
    return this.autoencoderRuns().find((item) => item.run.id === runId);
  }

  private postRuns(): void {
    const runs = this.autoencoderRuns().map(({ run, metrics }) => ({ id: run.id, name: run.name, status: run.status, epochs: metrics.length }));
    this.post({ type: 'runs', runs, selected: this.selected });
  }

  private postDetails(): void {
    const item = this.selected ? this.find(this.selected) : undefined;
    if (!item) return;
    const read = readRunDetails(item.dir);
    // Only the snapshots: the analysis and the latent points (large) are the workbench's business.
    const details: RunDetails = { runId: item.run.id, reconstructions: read.reconstructions, problems: read.problems };
    const snapshots = details.reconstructions;
    const key = [details.runId, snapshots?.epochs.length, snapshots?.epochs.at(-1)?.epoch, ...details.problems].join('\n');
    if (key === this.sentKey) return;
    this.sentKey = key;
    this.post({ type: 'details', details });
  }

  private post(message: HostToReconstructions): void {
    if (this.ready) void this.view?.webview.postMessage(message);
  }

  private html(webview: vscode.Webview): string {
    const asset = (...parts: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.deps.extensionUri, ...parts)).toString();
    const nonce = createNonce();
    const csp = [
      "default-src 'none'",
      `img-src ${webview.cspSource} data:`,
      `style-src ${webview.cspSource} 'nonce-${nonce}'`,
      `font-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${asset('media', 'workbench.css')}">
  <link rel="stylesheet" href="${asset('media', 'reconstructions.css')}">
  <title>Reconstructions</title>
</head>
<body>
  <main id="app" aria-live="polite">Loading reconstructions…</main>
  <script nonce="${nonce}" src="${asset('dist', 'webview', 'reconstructions.js')}"></script>
</body>
</html>`;
  }

  private disposeView(): void {
    for (const d of this.viewDisposables.splice(0)) d.dispose();
    this.view = undefined;
    this.ready = false;
  }

  dispose(): void {
    this.disposeView();
    this.stateSubscription.dispose();
  }
}
