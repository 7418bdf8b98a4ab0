/** The "Runs" tree in the Assignment 2 container: every run folder with status and key figures. */
import * as vscode from 'vscode';
import { RunListItem, RunStatus, isAutoencoderEpoch } from '../../../runs/schema';
import { lastCollapse } from '../../../shared/q2a/collapse';
import { WorkbenchState } from '../../workbenchState';
import { markdownText } from '../markdownText';

const STATUS_ICON: Record<RunStatus, vscode.ThemeIcon> = {
  running: new vscode.ThemeIcon('sync~spin'),
  completed: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  cancelled: new vscode.ThemeIcon('circle-slash'),
  interrupted: new vscode.ThemeIcon('debug-disconnect'),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
};

function describeRun(item: Extract<RunListItem, { ok: true }>): string {
  const { run, metrics } = item;
  const parts: string[] = [run.status];
  if (lastCollapse(item.metrics)) parts.push('COLLAPSED');
  const last = metrics.at(-1);
  if (run.job.kind !== 'q1Study') {
    if (last) parts.push(isAutoencoderEpoch(last) ? `test L1 ${last.testL1.toFixed(4)}` : `test accuracy ${(100 * last.testAccuracy).toFixed(2)}%`);
    parts.push(`${metrics.length}/${run.job.config.epochs} ep`);
  } else if (run.summary?.kind === 'q1') {
    parts.push(`GD ${run.summary.gdEscaped ? 'escapes' : 'stuck'}`, `Adam ${run.summary.adamEscaped ? 'escapes' : 'stuck'}`);
    if (run.summary.adamMaxEscapeHeight !== null) parts.push(`Adam h* ${run.summary.adamMaxEscapeHeight.toFixed(4)}`);
  }
  if (run.backend) parts.push(run.engine ? `${run.backend} ${run.engine.provider}` : run.backend);
  return parts.join(' · ');
}

/** What a run's context menu and its commands go by: a change to these redraws the whole list. */
const menuKey = (item: RunListItem) => (item.ok ? item.run.status : 'damaged');

export class RunsTreeProvider implements vscode.TreeDataProvider<RunListItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunListItem | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  /**
   * The elements last handed to the tree, by folder. The tree knows a run by its element object, so a
   * single-run refresh names that object, and getTreeItem draws the run as it is now.
   */
  private elements = new Map<string, RunListItem>();

  /** The run this window's engine trains now: its item offers Cancel, and no Delete. */
  private activeRunId?: string;

  constructor(private readonly state: WorkbenchState) {
    this.subscriptions = [
      state.onDidChange((what) => {
        if (what === 'runs') this.changed.fire(undefined);
        // The job changes every batch; its run only when a job starts or ends.
        if (what === 'job' && state.job?.runId !== this.activeRunId) {
          this.activeRunId = state.job?.runId;
          this.changed.fire(undefined);
        }
      }),
      state.onDidChangeRun((change) => {
        const element = this.elements.get(change.item.dir);
        // A new or removed run changes the order; a new status or a damaged run, what its menu offers
        // (the menu's commands get the element, which must not be stale).
        if (change.kind === 'updated' && element && menuKey(change.item) === menuKey(change.previous)) this.changed.fire(element);
        else this.changed.fire(undefined);
      }),
    ];
  }

  getChildren(element?: RunListItem): RunListItem[] {
    if (element) return [];
    try {
      const runs = this.state.runs();
      this.elements = new Map(runs.map((run) => [run.dir, run]));
      return runs;
    } catch (err) {
      void vscode.window.showErrorMessage(`Assignment 2: cannot list runs: ${(err as Error).message}`);
      return [];
    }
  }

  getTreeItem(element: RunListItem): vscode.TreeItem {
    const item = this.state.findRun(element.dir) ?? element;
    if (!item.ok) {
      const tree = new vscode.TreeItem(item.id);
      tree.description = 'damaged';
      tree.tooltip = new vscode.MarkdownString(markdownText(`${item.dir}\n\n${item.problem}`));
      tree.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
      tree.contextValue = 'run.damaged';
      tree.id = item.dir;
      return tree;
    }
    const { run } = item;
    const tree = new vscode.TreeItem(run.name);
    tree.id = item.dir;
    tree.description = describeRun(item);
    const collapse = lastCollapse(item.metrics);
    tree.iconPath = collapse ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')) : STATUS_ICON[run.status];
    tree.contextValue = `run.${run.status}${run.status === 'running' && run.id === this.activeRunId ? '.active' : ''}`;
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown(`**${markdownText(run.name)}** — ${run.status}\n\n`);
    tooltip.appendMarkdown(markdownText(`${run.id}\nstarted ${run.createdAt}${run.endedAt ? `\nended ${run.endedAt}` : ''}\n${run.backend ? `backend ${run.backend}${run.engine ? ` (${run.engine.provider}, ${run.engine.threads} threads)` : ''}, ` : ''}seed ${run.seed}\n`));
    if (collapse) tooltip.appendMarkdown(markdownText(`\n${collapse}`));
    if (run.error) tooltip.appendMarkdown(markdownText(`\nerror: ${run.error}`));
    tree.tooltip = tooltip;
    tree.command = { command: 'assignment2.openRun', title: 'Open Run', arguments: [item] };
    return tree;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }
}
