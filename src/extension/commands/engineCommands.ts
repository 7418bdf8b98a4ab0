/** The engine's own commands: its backend, a restart, and cancelling the running job. */
import * as vscode from 'vscode';
import { Command } from './command';

export const showBackendInfo: Command = {
  id: 'assignment2.showBackendInfo',
  title: 'Show Backend Info',
  run: (deps) => deps.backendInfo(),
};

export const restartEngine: Command = {
  id: 'assignment2.restartEngine',
  title: 'Restart Engine',
  async run(deps) {
    await deps.engine.stop();
    deps.state.backend = undefined;
    return deps.backendInfo();
  },
};

export const cancelJob: Command = {
  id: 'assignment2.cancelJob',
  title: 'Cancel',
  run(deps) {
    if (!deps.runner.cancelRunning()) void vscode.window.showInformationMessage('Assignment 2: no job is running.');
  },
};
