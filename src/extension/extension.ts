/** Activation: wires the engine client, run views, workbench panel and the commands (one module each, in commands/). */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeEpoch } from '../shared/format';
import { RunListItem } from '../runs/schema';
import { RunStore } from '../runs/store';
import { sweepsDirOf } from '../engine/sweep/sweepFolder';
import { COMMANDS } from './commands';
import { CommandDeps } from './commands/command';
import { EngineClient } from './engineClient';
import { JobRunner } from './jobRunner';
import { pollRuns } from './runsPoll';
import { watchRuns } from './runsWatcher';
import { backendPreference, engineThreads, engineTimeoutMs, runsDirectory } from './settings';
import { createStatusBar } from './statusBar';
import { ReconstructionsViewProvider } from './views/reconstructions/view';
import { RunsTreeProvider } from './views/runs/tree';
import { SweepsModel } from './views/sweeps/model';
import { refreshSweepReports } from './views/sweeps/reportPanel';
import { SweepsTreeProvider } from './views/sweeps/tree';
import { PanelDeps, WORKBENCH_VIEW_TYPE, WorkbenchPanel } from './views/workbench/panel';
import { WorkbenchState } from './workbenchState';

/** What the extension offers other extensions (and its tests): the runs it lists, as last read. */
export interface Assignment2Api {
  runs(): RunListItem[];
}

export function activate(context: vscode.ExtensionContext): Assignment2Api {
  const output = vscode.window.createOutputChannel('Assignment2', { log: true });
  const log = (line: string) => output.info(line);
  const runsDir = () => runsDirectory(context.globalStorageUri);
  const state = new WorkbenchState(() => new RunStore(runsDir()));
  const engineTimeout = () => {
    try {
      return engineTimeoutMs();
    } catch (err) {
      log(`${(err as Error).message} Using 60 s.`);
      return 60_000;
    }
  };
  const engine = new EngineClient(context.asAbsolutePath(path.join('dist', 'engine.js')), backendPreference, engineThreads, log, engineTimeout);

  const engineLog = engine.onEvent((event) => {
    if (event.type === 'log') output[event.level](event.message);
    else if (event.type === 'error') output.error(event.message);
    else if (event.type === 'epoch') log(`${event.runId}: ${describeEpoch(event.metrics)}`);
  });
  // A job's run is re-read when it starts and ends, and after each epoch together with the watcher's events.
  const engineRuns = engine.onEvent((event) => {
    if (event.type === 'jobStarted' || event.type === 'result') state.refreshRun(event.runId);
    else if (event.type === 'epoch') state.refreshRunSoon(event.runId);
  });
  // Cancel is enabled, and offered on the running run, only while a job runs.
  let jobRunning = false;
  const jobContext = state.onDidChange((what) => {
    if (what !== 'job' || jobRunning === (state.job !== undefined)) return;
    jobRunning = state.job !== undefined;
    void vscode.commands.executeCommand('setContext', 'assignment2.jobRunning', jobRunning);
  });
  // A crash during a job is reported by that job's command; an idle engine dying is said here.
  const engineExit = engine.onDidExit(({ how, hadJobs }) => {
    state.backend = undefined;
    if (!hadJobs) void vscode.window.showWarningMessage(`Assignment 2: the training engine ${how}. A new one starts with the next command.`);
  });

  const panelDeps: PanelDeps = {
    extensionUri: context.extensionUri,
    state,
    log,
    runCommand: (command) => void vscode.commands.executeCommand(command),
    saveQ1Study: (params) => void vscode.commands.executeCommand('assignment2.runQ1Study', params),
    explore: (runDir, query) => engine.explore(path.dirname(runDir), path.basename(runDir), query),
  };
  const reconstructions = new ReconstructionsViewProvider({ extensionUri: context.extensionUri, state, log });
  const deps: CommandDeps = {
    engine,
    state,
    runner: new JobRunner(engine, state, runsDir),
    reconstructions,
    output,
    runsDir,
    showPanel: (tab) => void WorkbenchPanel.show(panelDeps, tab),
    async backendInfo() {
      const info = await engine.backendInfo();
      state.backend = info;
      log(`Backend: ${info.chosen}${info.device ? ` (${info.device})` : ''}`);
      for (const c of info.candidates) log(`  ${c.name}: ${c.status}: ${c.reason}`);
      if (info.onnx) {
        log(`ONNX Runtime: provider ${info.onnx.provider}, ${info.onnx.threads} threads (tfjs ${info.onnx.tfjs} for model files)`);
        for (const c of info.onnx.providers) log(`  ${c.name}: ${c.status}: ${c.reason}`);
      }
      return info;
    },
  };

  /** Every command reports its failure in a notification and the output channel, and never throws silently. */
  const register = ({ id, title, run }: (typeof COMMANDS)[number]) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await run(deps, ...args);
      } catch (err) {
        const message = (err as Error).message;
        output.error(`${title}: ${message}`);
        void vscode.window.showErrorMessage(`Assignment 2: ${message}`, 'Show Log').then((pick) => pick && output.show());
        return undefined;
      }
    });

  let runsWatcher = watchRuns(runsDir(), state);
  const runsTree = new RunsTreeProvider(state);
  const sweeps = new SweepsModel(() => sweepsDirOf(runsDir()));
  const sweepsTree = new SweepsTreeProvider(sweeps);
  // An open sweep report is redrawn when its file changes, seen by the same watcher and poll.
  const sweepReports = sweeps.onDidChange(() => refreshSweepReports(log));

  context.subscriptions.push(
    output,
    state,
    engine,
    engineLog,
    engineRuns,
    engineExit,
    jobContext,
    runsTree,
    { dispose: () => runsWatcher.dispose() },
    pollRuns(runsDir, state),
    createStatusBar(state),
    vscode.window.registerTreeDataProvider('assignment2.runs', runsTree),
    sweeps,
    sweepsTree,
    sweepReports,
    vscode.window.registerTreeDataProvider('assignment2.sweeps', sweepsTree),
    reconstructions,
    vscode.window.registerWebviewViewProvider('assignment2.reconstructions', reconstructions),
    vscode.window.registerWebviewPanelSerializer(WORKBENCH_VIEW_TYPE, WorkbenchPanel.serializer(panelDeps)),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if ((e.affectsConfiguration('assignment2.backend') || e.affectsConfiguration('assignment2.threads')) && engine.running) {
        log('assignment2.backend or assignment2.threads changed: the engine restarts with the next command.');
        await engine.stop();
        state.backend = undefined;
      }
      if (e.affectsConfiguration('assignment2.runsDirectory')) {
        runsWatcher.dispose();
        runsWatcher = watchRuns(runsDir(), state);
        state.refreshRuns();
        sweeps.repoint();
      }
    }),
    ...COMMANDS.map(register),
  );
  return { runs: () => state.runs() };
}

export function deactivate() {}
