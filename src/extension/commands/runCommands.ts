/** The Runs view's commands on one run: open, reveal, delete, resume, and refreshing the list. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RunListItem } from '../../runs/schema';
import { RunStore } from '../../runs/store';
import { Command } from './command';

export const refreshRuns: Command = {
  id: 'assignment2.refreshRuns',
  title: 'Refresh Runs',
  run: (deps) => deps.state.refreshRuns(),
};

export const openRun: Command = {
  id: 'assignment2.openRun',
  title: 'Open Run',
  async run(deps, item?: unknown) {
    const run = item as RunListItem | undefined;
    if (!run) return;
    if (!run.ok) {
      await vscode.window.showTextDocument(vscode.Uri.file(path.join(run.dir, 'run.json')));
      return;
    }
    const { job } = run.run;
    if (job.kind === 'q1Study') deps.showPanel('q1');
    else if (job.kind === 'trainDisNet' || job.kind === 'trainJudge') deps.showPanel('q2b');
    else {
      deps.showPanel(job.config.adversarial ? 'q2b' : 'q2a');
      deps.reconstructions.showRun(run.run.id);
    }
  },
};

export const revealRun: Command = {
  id: 'assignment2.revealRun',
  title: 'Reveal Run Folder',
  async run(_deps, item?: unknown) {
    if (item) await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file((item as RunListItem).dir));
  },
};

export const deleteRun: Command = {
  id: 'assignment2.deleteRun',
  title: 'Delete Run',
  async run(deps, raw?: unknown) {
    const item = raw as RunListItem | undefined;
    if (!item) return;
    const name = item.ok ? item.run.name : item.id;
    const id = item.ok ? item.run.id : item.id;
    if (item.ok && item.run.status === 'running') throw new Error(`${name} is still running; cancel it before deleting.`);
    const answer = await vscode.window.showWarningMessage(`Delete run "${name}" (${id}) and all its files?`, { modal: true }, 'Delete');
    if (answer !== 'Delete') return;
    new RunStore(path.dirname(item.dir)).delete(id);
    deps.state.refreshRun(id);
  },
};

/** Continues an interrupted or cancelled run from its last epoch's checkpoint (a run item, or its id). */
export const resumeRun: Command = {
  id: 'assignment2.resumeRun',
  title: 'Resume Run',
  async run(deps, raw?: unknown) {
    if (deps.runner.refuseWhileBusy()) return undefined;
    const runId = typeof raw === 'string' ? raw : raw && (raw as RunListItem).ok ? (raw as Extract<RunListItem, { ok: true }>).run.id : undefined;
    if (!runId) throw new Error('Resume Run needs a run: use it on an interrupted or cancelled run in the Runs view.');
    const outcome = await deps.runner.resume(runId);
    deps.state.refreshRun(runId);
    return outcome;
  },
};
