/** "Open Sweep Report in Browser": a sweep's report.html in the system's browser, where it prints to PDF. */
import { missingReportMessage, sweepReportHtml } from '../views/sweeps/sweepList';
import { Command } from './command';
import { openInBrowser } from './openReportInBrowser';
import { sweepArg } from './sweepArgs';

export const openSweepReportInBrowser: Command = {
  id: 'assignment2.openSweepReportInBrowser',
  title: 'Open Sweep Report in Browser',
  async run(deps, raw?: unknown) {
    const sweep = await sweepArg(deps, raw, 'Open Sweep Report in Browser');
    if (!sweep) return undefined;
    const file = sweepReportHtml(sweep.dir);
    if (!file) throw new Error(missingReportMessage(sweep.dir));
    return openInBrowser(file);
  },
};
