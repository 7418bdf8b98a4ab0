/**
 * The workbench webview: one panel, restored after a reload by a serializer, fed snapshots from
 * WorkbenchState. Strict CSP (nonce, no remote content) and resources only from dist/ and media/.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { HostToWebview, WebviewCommand, WebviewState, WebviewToHost, WorkbenchTab } from './protocol';
import { Q1Params } from '../../../shared/q1/params';
import { RunDetails } from '../../../runs/schema';
import { dispatchMessage } from '../webviewMessages';
import { pixelBaselineFile, readPixelBaseline, readRunDetails } from '../../../runs/files';
import { q2bSeeds } from '../../../runs/seeds';
import { localResourceRoots, webviewHtml } from '../webviewHtml';
import { WorkbenchState } from '../../workbenchState';
import { ExploreQuery, ExploreResult } from '../../../shared/explore';
import { saveChart } from './saveChart';

export const WORKBENCH_VIEW_TYPE = 'assignment2.workbench';

export interface PanelDeps {
  extensionUri: vscode.Uri;
  state: WorkbenchState;
  log(line: string): void;
  /** Runs a command on the webview's behalf; the protocol admits only allow-listed ones. */
  runCommand(command: WebviewCommand): void;
  /** Saves the parameters edited in the Q1 tab as a study run. */
  saveQ1Study(params: Q1Params): void;
  /** The latent explorer's decoding, by the engine, with the model of the run in `runDir`. */
  explore(runDir: string, query: ExploreQuery): Promise<ExploreResult>;
}

export class WorkbenchPanel implements vscode.Disposable {
  private static current?: WorkbenchPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private pendingTab?: WorkbenchTab;

  static show(deps: PanelDeps, tab?: WorkbenchTab): WorkbenchPanel {
    if (WorkbenchPanel.current) {
      WorkbenchPanel.current.panel.reveal();
    } else {
      const panel = vscode.window.createWebviewPanel(WORKBENCH_VIEW_TYPE, 'Assignment 2 Workbench', vscode.ViewColumn.Active, {
        enableFindWidget: true,
      });
      WorkbenchPanel.current = new WorkbenchPanel(panel, deps);
    }
    if (tab) WorkbenchPanel.current.showTab(tab);
    return WorkbenchPanel.current;
  }

  static serializer(deps: PanelDeps): vscode.WebviewPanelSerializer {
    return {
      async deserializeWebviewPanel(panel, saved: unknown) {
        WorkbenchPanel.current?.dispose();
        const state = WebviewState.safeParse(saved);
        WorkbenchPanel.current = new WorkbenchPanel(panel, deps);
        if (state.data?.tab) WorkbenchPanel.current.showTab(state.data.tab);
      },
    };
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly deps: PanelDeps,
  ) {
    panel.webview.options = { enableScripts: true, localResourceRoots: localResourceRoots(deps.extensionUri) };
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'assignment2.svg');
    panel.webview.html = webviewHtml(panel.webview, deps.extensionUri, {
      title: 'Assignment 2 Workbench',
      stylesheets: [['dist', 'media', 'codicon.css'], ['media', 'workbench.css']],
      script: ['dist', 'webview', 'workbench.js'],
      loadingText: 'Loading the workbench…',
    });
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw) => this.receive(raw)),
      deps.state.onDidChange((what) => (what === 'job' ? this.post({ type: 'job', job: deps.state.job ?? null }) : this.postSnapshot())),
      // Before 'ready' the page has no list to update: its snapshot will hold the change.
      deps.state.onDidChangeRun((change) => this.ready && this.post(change.kind === 'removed' ? { type: 'runRemoved', dir: change.item.dir } : { type: 'run', item: change.item })),
    );
  }

  showTab(tab: WorkbenchTab): void {
    if (this.ready) this.post({ type: 'showTab', tab });
    else this.pendingTab = tab;
  }

  private receive(raw: unknown): void {
    dispatchMessage(
      WebviewToHost,
      raw,
      {
        ready: () => {
          this.ready = true;
          this.postSnapshot();
          if (this.pendingTab) this.post({ type: 'showTab', tab: this.pendingTab });
          this.pendingTab = undefined;
        },
        runCommand: (message) => this.deps.runCommand(message.command),
        saveQ1Study: (message) => this.deps.saveQ1Study(message.params),
        loadRunDetails: (message) => this.postRunDetails(message.requestId, message.runIds),
        explore: (message) => void this.postExplored(message.requestId, message.runId, message.query),
        saveChart: (message) => void saveChart(message.name, message.file),
      },
      (problem) => this.deps.log(`Dropped a malformed webview message (${problem}).`),
    );
  }

  /**
   * Reads the runs' analysis files and answers this panel's page, under the request's id; ids are
   * looked up among the listed runs, never used as paths.
   */
  private postRunDetails(requestId: string, runIds: string[]): void {
    const all = this.deps.state.runs();
    const runs = all.filter((r): r is Extract<typeof r, { ok: true }> => r.ok && runIds.includes(r.run.id));
    const details = runs.map((r): RunDetails => {
      const read = readRunDetails(r.dir);
      // A sharpened run brings its configuration's (a) and (b) over every seed on disk, for the Compare tab.
      const sharpened = r.run.job.kind === 'trainAutoencoder' && r.run.job.config.adversarial ? r.run.job.config : undefined;
      return sharpened ? { ...read, seeds: q2bSeeds(all, [sharpened]) } : read;
    });
    const trained = runs.find((r) => r.run.job.kind === 'trainAutoencoder');
    const config = trained?.run.job.kind === 'trainAutoencoder' ? trained.run.job.config : undefined;
    const baseline = trained && config ? readPixelBaseline(pixelBaselineFile(path.dirname(trained.dir), config.testImages, config.seed)) : undefined;
    this.post({ type: 'runDetails', requestId, details, baseline });
  }

  /** Decodes with a listed run's model and answers this panel's page, under the request's id. */
  private async postExplored(requestId: string, runId: string, query: ExploreQuery): Promise<void> {
    const run = this.deps.state.runs().find((r) => r.ok && r.run.id === runId);
    try {
      if (!run) throw new Error(`Run ${runId} is not in the runs folder (deleted, or the list is out of date: refresh it).`);
      this.post({ type: 'explored', requestId, answer: { ok: true, result: await this.deps.explore(run.dir, query) } });
    } catch (err) {
      this.post({ type: 'explored', requestId, answer: { ok: false, error: (err as Error).message } });
    }
  }

  private postSnapshot(): void {
    if (!this.ready) return;
    try {
      this.post({ type: 'snapshot', snapshot: this.deps.state.snapshot() });
    } catch (err) {
      this.deps.log(`Could not read the runs folder: ${(err as Error).message}`);
    }
  }

  private post(message: HostToWebview): void {
    void this.panel.webview.postMessage(message);
  }


  dispose(): void {
    if (WorkbenchPanel.current === this) WorkbenchPanel.current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
