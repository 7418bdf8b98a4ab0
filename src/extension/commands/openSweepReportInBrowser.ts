/** "Open Sweep Report in Browser": a sweep's report.html in the system's browser, where it prints to PDF. */
import { Command } from './command';
import { openInBrowser } from './openReportInBrowser';
import { sweepReportArg } from './sweepArgs';

export const openSweepReportInBrowser: Command = {
  id: 'assignment2.openSweepReportInBrowser',
  title: 'Open Sweep Report in Browser',
  async run(deps, raw?: unknown) {
    const report = await sweepReportArg(deps, raw, 'Open Sweep Report in Browser');
    return report && openInBrowser(report.file);
  },
};
