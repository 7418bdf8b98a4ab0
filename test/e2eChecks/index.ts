/** The lab features' end-to-end checks, run in this order after the tabs' own checks. */
import type { LabCheck } from './context';
import { curvesCheck } from './curves';
import { latentExplorerCheck } from './latentExplorer';
import { runningRunCheck } from './runningRun';
import { runsTableCheck } from './runsTable';
import { sweepsCheck } from './sweeps';
import { themeCheck } from './theme';

export const LAB_CHECKS: LabCheck[] = [curvesCheck, runsTableCheck, latentExplorerCheck, themeCheck, runningRunCheck, sweepsCheck];
