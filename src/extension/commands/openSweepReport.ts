/** "Open Sweep Report": a sweep's report.html (mean ± sd over seeds per setting, its figures) in a panel. */
import { sweepLabel } from '../../shared/experiment/sweep';
import { showSweepReport } from '../views/sweeps/reportPanel';
import { Command } from './command';
import { sweepReportArg } from './sweepArgs';

export const openSweepReport: Command = {
  id: 'assignment2.openSweepReport',
  title: 'Open Sweep Report',
  async run(deps, raw?: unknown) {
    const report = await sweepReportArg(deps, raw, 'Open Sweep Report');
    if (!report) return undefined;
    showSweepReport(report.dir, report.file, sweepLabel(report.record.grid));
    return report.file;
  },
};
