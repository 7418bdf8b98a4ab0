/** Activation: wires the engine client, run views, workbench panel and commands together. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeEpoch } from '../shared/format';
import { RunListItem } from '../runs/schema';
import { WorkbenchTab } from './views/workbench/protocol';
import { RunStore } from '../runs/store';
import { EngineClient, JobOutcome } from './engineClient';
import { RunsTreeProvider } from './views/runs/tree';
import { backendPreference, engineThreads, engineTimeoutMs, runsDirectory } from './settings';
import { createStatusBar } from './statusBar';
import { Trainer } from './training';
import { PanelDeps, WORKBENCH_VIEW_TYPE, WorkbenchPanel } from './views/workbench/panel';
import { runQ1Study } from './q1Study';
import { ReconstructionsViewProvider } from './views/reconstructions/view';
import { ReportExporter } from './report';
import { WorkbenchState } from './workbenchState';

export function activate(context: vscode.ExtensionContext) {
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
  const trainer = new Trainer(engine, state, runsDir);
  const exporter = new ReportExporter(engine, runsDir);

  const engineLog = engine.onEvent((event) => {
    if (event.type === 'log') output[event.level](event.message);
    else if (event.type === 'error') output.error(event.message);
    else if (event.type === 'epoch') log(`${event.runId}: ${describeEpoch(event.metrics)}`);
  });

  // A crash during a job is reported by that job's command; an idle engine dying is said here.
  const engineExit = engine.onDidExit(({ how, hadJobs }) => {
    state.backend = undefined;
    if (!hadJobs) void vscode.window.showWarningMessage(`Assignment 2: the training engine ${how}. A new one starts with the next command.`);
  });

  /** Every command reports its failure in a notification and the output channel, and never throws silently. */
  const guarded =
    <A extends unknown[], R>(name: string, fn: (...args: A) => Promise<R> | R) =>
    async (...args: A): Promise<R | undefined> => {
      try {
        return await fn(...args);
      } catch (err) {
        const message = (err as Error).message;
        output.error(`${name}: ${message}`);
        void vscode.window.showErrorMessage(`Assignment 2: ${message}`, 'Show Log').then((pick) => pick && output.show());
        return undefined;
      }
    };

  const showBackendInfo = async () => {
    const info = await engine.backendInfo();
    state.backend = info;
    log(`Backend: ${info.chosen}${info.device ? ` (${info.device})` : ''}`);
    for (const c of info.candidates) log(`  ${c.name}: ${c.status}: ${c.reason}`);
    if (info.onnx) {
      log(`ONNX Runtime: provider ${info.onnx.provider}, ${info.onnx.threads} threads (tfjs ${info.onnx.tfjs} for model files)`);
      for (const c of info.onnx.providers) log(`  ${c.name}: ${c.status}: ${c.reason}`);
    }
    return info;
  };

  /** A training command: the engine's backend is known first; afterwards, optionally, its tab is shown. */
  const trainingCommand = (name: string, train: (args?: unknown) => Promise<JobOutcome[] | undefined>, tab?: WorkbenchTab) =>
    guarded(name, async (args?: unknown) => {
      if (!state.backend) await showBackendInfo();
      const outcomes = await train(args);
      if (tab) WorkbenchPanel.show(panelDeps, tab);
      return outcomes;
    });

  const panelDeps: PanelDeps = {
    extensionUri: context.extensionUri,
    state,
    log,
    runCommand: (command) => void vscode.commands.executeCommand(command),
    saveQ1Study: (params) => void vscode.commands.executeCommand('assignment2.runQ1Study', params),
  };

  const deleteRun = async (item?: RunListItem) => {
    if (!item) return;
    const name = item.ok ? item.run.name : item.id;
    const id = item.ok ? item.run.id : item.id;
    if (item.ok && item.run.status === 'running') throw new Error(`${name} is still running; cancel it before deleting.`);
    const answer = await vscode.window.showWarningMessage(`Delete run "${name}" (${id}) and all its files?`, { modal: true }, 'Delete');
    if (answer !== 'Delete') return;
    new RunStore(path.dirname(item.dir)).delete(id);
    state.refreshRuns();
  };

  // Runs written by the command line (or another window) show up without a manual refresh.
  const watchRuns = () => {
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(runsDir()), '*/{run.json,metrics.jsonl,reconstructions.json}'));
    const refresh = () => state.refreshRuns();
    return vscode.Disposable.from(watcher, watcher.onDidCreate(refresh), watcher.onDidChange(refresh), watcher.onDidDelete(refresh));
  };
  let runsWatcher = watchRuns();
  const runsTree = new RunsTreeProvider(state);
  const reconstructions = new ReconstructionsViewProvider({ extensionUri: context.extensionUri, state, log });

  context.subscriptions.push(
    output,
    state,
    engine,
    engineLog,
    engineExit,
    runsTree,
    { dispose: () => runsWatcher.dispose() },
    createStatusBar(state),
    vscode.window.registerTreeDataProvider('assignment2.runs', runsTree),
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
        runsWatcher = watchRuns();
        state.refreshRuns();
      }
    }),
    vscode.commands.registerCommand('assignment2.openWorkbench', guarded('Open Workbench', () => {
      WorkbenchPanel.show(panelDeps);
      // The panel names the backend, so start the engine now rather than at the first training.
      if (!state.backend) void guarded('Backend info', showBackendInfo)();
    })),
    vscode.commands.registerCommand('assignment2.showBackendInfo', guarded('Show Backend Info', showBackendInfo)),
    vscode.commands.registerCommand('assignment2.trainAutoencoder', trainingCommand('Train Autoencoder', (args) => trainer.trainAutoencoders(args))),
    vscode.commands.registerCommand('assignment2.trainDisNet', trainingCommand('Train Blur Discriminator', (args) => trainer.trainDisNet(args), 'q2b')),
    vscode.commands.registerCommand('assignment2.trainJudge', trainingCommand('Train Judge', (args) => trainer.trainJudge(args), 'q2b')),
    vscode.commands.registerCommand('assignment2.trainSharpened', trainingCommand('Train Sharpened Autoencoder', (args) => trainer.trainSharpened(args), 'q2b')),
    vscode.commands.registerCommand('assignment2.runQ1Study', guarded('Run Q1 Optimizer Study', async (args?: unknown) => {
      const outcome = await runQ1Study(engine, state, runsDir(), args);
      WorkbenchPanel.show(panelDeps, 'q1');
      return outcome;
    })),
    vscode.commands.registerCommand('assignment2.exportReport', guarded('Export Report', (args?: unknown) => exporter.export(args))),
    vscode.commands.registerCommand('assignment2.cancelJob', guarded('Cancel', () => {
      if (!trainer.cancelRunning()) void vscode.window.showInformationMessage('Assignment 2: no job is running.');
    })),
    vscode.commands.registerCommand('assignment2.restartEngine', guarded('Restart Engine', async () => {
      await engine.stop();
      state.backend = undefined;
      return showBackendInfo();
    })),
    vscode.commands.registerCommand('assignment2.refreshRuns', guarded('Refresh Runs', () => state.refreshRuns())),
    vscode.commands.registerCommand('assignment2.openRun', guarded('Open Run', async (item?: RunListItem) => {
      if (!item) return;
      if (!item.ok) {
        await vscode.window.showTextDocument(vscode.Uri.file(path.join(item.dir, 'run.json')));
        return;
      }
      const { job } = item.run;
      if (job.kind === 'q1Study') {
        WorkbenchPanel.show(panelDeps, 'q1');
      } else if (job.kind === 'trainDisNet' || job.kind === 'trainJudge') {
        WorkbenchPanel.show(panelDeps, 'q2b');
      } else {
        WorkbenchPanel.show(panelDeps, job.config.adversarial ? 'q2b' : 'q2a');
        reconstructions.showRun(item.run.id);
      }
    })),
    vscode.commands.registerCommand('assignment2.revealRun', guarded('Reveal Run Folder', async (item?: RunListItem) => {
      if (item) await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(item.dir));
    })),
    vscode.commands.registerCommand('assignment2.deleteRun', guarded('Delete Run', deleteRun)),
  );
}

export function deactivate() {}
