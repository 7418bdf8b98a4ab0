/** Every palette command; activate registers them in one loop. */
import { Command } from './command';
import { cancelJob, restartEngine, showBackendInfo } from './engineCommands';
import { exportReport } from './exportReport';
import { openReportInBrowser } from './openReportInBrowser';
import { openSweepReport } from './openSweepReport';
import { openSweepReportInBrowser } from './openSweepReportInBrowser';
import { openSweepTaskLog } from './openSweepTaskLog';
import { openWorkbench } from './openWorkbench';
import { deleteRun, openRun, refreshRuns, resumeRun, revealRun } from './runCommands';
import { revealSweep } from './revealSweep';
import { runMissingParts } from './runMissingParts';
import { runMissingSweepTasks } from './runMissingSweepTasks';
import { runQ1Study } from './runQ1Study';
import { trainAutoencoder } from './trainAutoencoder';
import { trainDisNet, trainJudge } from './trainDisNet';
import { trainSharpened } from './trainSharpened';

export const COMMANDS: Command[] = [
  openWorkbench,
  runQ1Study,
  trainAutoencoder,
  trainDisNet,
  trainJudge,
  trainSharpened,
  runMissingParts,
  exportReport,
  openReportInBrowser,
  cancelJob,
  showBackendInfo,
  restartEngine,
  refreshRuns,
  openRun,
  revealRun,
  deleteRun,
  resumeRun,
  openSweepReport,
  openSweepReportInBrowser,
  openSweepTaskLog,
  revealSweep,
  runMissingSweepTasks,
];
