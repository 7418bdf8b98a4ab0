/** Status bar item: the engine's backend, or the running job's progress. Click opens the workbench. */
import * as vscode from 'vscode';
import { WorkbenchState } from './workbenchState';

export function createStatusBar(state: WorkbenchState): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('assignment2.status', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Assignment 2';
  item.command = 'assignment2.openWorkbench';
  const render = () => {
    const { job, backend } = state;
    if (job) {
      const pct = Math.floor((100 * ((job.epoch - 1) * job.batches + job.batch)) / (job.epochs * job.batches));
      item.text = `$(sync~spin) A2 ${job.label}: epoch ${job.epoch}/${job.epochs} ${Math.max(0, pct)}%`;
      item.tooltip = 'Assignment 2: training. Click to open the workbench.';
    } else {
      item.text = `$(beaker) A2: ${backend?.chosen ?? 'engine idle'}`;
      const tip = new vscode.MarkdownString('**Assignment 2 engine**\n\n');
      if (backend) for (const c of backend.candidates) tip.appendText(`${c.name} — ${c.status}: ${c.reason}\n`);
      else tip.appendText('The engine starts with the first command.');
      item.tooltip = tip;
    }
    item.show();
  };
  render();
  const sub = state.onDidChange((what) => what !== 'runs' && render());
  return vscode.Disposable.from(item, sub);
}
