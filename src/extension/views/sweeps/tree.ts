/** The "Sweeps" tree in the Assignment 2 container: every sweep folder with its progress, and its tasks. */
import * as vscode from 'vscode';
import { SweepRecord, SweepTaskState, sweepLabel } from '../../../shared/experiment/sweep';
import { markdownText } from '../markdownText';
import { SweepListItem, SweepState, sweepDetails, sweepProgress, sweepState, taskLabel } from './sweepList';
import { SweepsModel } from './model';

/** A row of the tree; the commands on it get it as their argument and read `dir` (and `index`) from it. */
export type SweepNode = { kind: 'sweep'; dir: string; item: SweepListItem } | { kind: 'task'; dir: string; index: number; task: SweepTaskState };

const passed = new vscode.ThemeColor('testing.iconPassed');
const failed = new vscode.ThemeColor('testing.iconFailed');

const SWEEP_ICON: Record<SweepState, vscode.ThemeIcon> = {
  running: new vscode.ThemeIcon('sync~spin'),
  completed: new vscode.ThemeIcon('pass', passed),
  failed: new vscode.ThemeIcon('error', failed),
  idle: new vscode.ThemeIcon('circle-outline'),
};

const TASK_ICON: Record<SweepTaskState['status'], vscode.ThemeIcon> = {
  pending: new vscode.ThemeIcon('circle-outline'),
  running: new vscode.ThemeIcon('sync~spin'),
  completed: new vscode.ThemeIcon('pass', passed),
  failed: new vscode.ThemeIcon('error', failed),
  cancelled: new vscode.ThemeIcon('circle-slash'),
};

function sweepItem(dir: string, record: SweepRecord, hasReport: boolean): vscode.TreeItem {
  const label = sweepLabel(record.grid);
  const tree = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
  tree.id = dir;
  tree.description = sweepProgress(record, hasReport);
  tree.iconPath = SWEEP_ICON[sweepState(record)];
  tree.contextValue = hasReport ? 'sweep.report' : 'sweep';
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown(`**${markdownText(label)}** — ${markdownText(tree.description)}\n\n`);
  tooltip.appendMarkdown(markdownText(sweepDetails(record).join('\n')));
  tree.tooltip = tooltip;
  return tree;
}

function taskItem(dir: string, task: SweepTaskState): vscode.TreeItem {
  const tree = new vscode.TreeItem(taskLabel(task));
  tree.id = `${dir}#${task.index}`;
  tree.description = task.error ? `${task.status} · ${task.error}` : task.status;
  tree.iconPath = TASK_ICON[task.status];
  tree.contextValue = 'sweepTask';
  const lines = [`${taskLabel(task)} — ${task.status}`, `log ${task.log}`, ...(task.runIds.length ? [`runs ${task.runIds.join(', ')}`] : []), ...(task.error ? [`error: ${task.error}`] : [])];
  tree.tooltip = new vscode.MarkdownString(markdownText(lines.join('\n')));
  return tree;
}

function damagedItem(dir: string, id: string, problem: string): vscode.TreeItem {
  const tree = new vscode.TreeItem(id);
  tree.id = dir;
  tree.description = problem;
  tree.tooltip = new vscode.MarkdownString(markdownText(`${dir}\n\n${problem}`));
  tree.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
  tree.contextValue = 'sweep.damaged';
  return tree;
}

export class SweepsTreeProvider implements vscode.TreeDataProvider<SweepNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SweepNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  // A sweep has a handful of tasks and a folder a handful of sweeps: any change redraws the whole tree.
  constructor(private readonly model: SweepsModel) {
    this.subscription = model.onDidChange(() => this.changed.fire(undefined));
  }

  getChildren(element?: SweepNode): SweepNode[] {
    if (!element) return this.model.sweeps().map((item) => ({ kind: 'sweep', dir: item.dir, item }));
    if (element.kind === 'task' || !element.item.ok) return [];
    const { dir } = element;
    const current = this.model.sweeps().find((item) => item.dir === dir);
    return current?.ok ? current.record.tasks.map((task) => ({ kind: 'task', dir, index: task.index, task })) : [];
  }

  getTreeItem(element: SweepNode): vscode.TreeItem {
    if (element.kind === 'task') return taskItem(element.dir, element.task);
    const { item } = element;
    return item.ok ? sweepItem(item.dir, item.record, item.hasReport) : damagedItem(item.dir, item.id, item.problem);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
