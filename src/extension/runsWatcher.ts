/**
 * Runs written by the command line, another window or the engine show up without a manual refresh: a
 * file-system watcher on the run folders and their files hands every event to the state's debounced
 * per-run refresh, which reads a new folder, re-reads a changed one and drops a deleted one.
 */
import * as vscode from 'vscode';
import { RUN_FILES } from './runList';
import { WorkbenchState } from './workbenchState';

export function watchRuns(runsDir: string, state: WorkbenchState): vscode.Disposable {
  const base = vscode.Uri.file(runsDir);
  const files = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(base, `*/{${RUN_FILES.join(',')}}`));
  // A folder deleted as a whole may be reported for the folder alone, not for the files in it.
  const folders = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(base, '*'), false, true, false);
  const refresh = (uri: vscode.Uri) => state.refreshRunSoon(uri.fsPath);
  return vscode.Disposable.from(
    files,
    folders,
    files.onDidCreate(refresh),
    files.onDidChange(refresh),
    files.onDidDelete(refresh),
    folders.onDidCreate(refresh),
    folders.onDidDelete(refresh),
  );
}
