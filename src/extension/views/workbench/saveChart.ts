/** Saves a chart of the workbench page where the student chooses: the page itself cannot write files. */
import * as vscode from 'vscode';
import { ChartFile } from './protocol';
import { chartFileBytes } from './chartFile';

const FILTERS: Record<ChartFile['kind'], Record<string, string[]>> = { png: { 'PNG image': ['png'] }, csv: { 'CSV table': ['csv'] } };

export async function saveChart(name: string, file: ChartFile): Promise<void> {
  let bytes: Uint8Array;
  try {
    bytes = chartFileBytes(file);
  } catch (err) {
    void vscode.window.showErrorMessage((err as Error).message);
    return;
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    title: `Save the chart as ${file.kind.toUpperCase()}`,
    defaultUri: folder && vscode.Uri.joinPath(folder, `${name}.${file.kind}`),
    filters: FILTERS[file.kind],
  });
  if (!target) return;
  try {
    await vscode.workspace.fs.writeFile(target, bytes);
  } catch (err) {
    void vscode.window.showErrorMessage(`Cannot write ${target.fsPath}: ${(err as Error).message}`);
    return;
  }
  void vscode.window.showInformationMessage(`Saved the chart to ${target.fsPath}.`);
}
