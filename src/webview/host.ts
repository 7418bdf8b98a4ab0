/**
 * The workbench page's one handle on VS Code: messages to the host, and the state VS Code keeps for the
 * page across reloads and while its tab is hidden (the panel does not retain its context).
 */
import type { WebviewState, WebviewToHost } from '../extension/views/workbench/protocol';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: WebviewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

export function post(message: WebviewToHost): void {
  vscode.postMessage(message);
}

export function savedState(): unknown {
  return vscode.getState();
}

export function saveState(state: WebviewState): void {
  vscode.setState(state);
}
