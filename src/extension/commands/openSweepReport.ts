/** "Open Sweep Report": a sweep's report.html (mean ± sd over seeds per setting, its figures) in a panel. */
import { sweepLabel } from '../../shared/experiment/sweep';
import { missingReportMessage, sweepReportHtml } from '../views/sweeps/sweepList';
import { showSweepReport } from '../views/sweeps/reportPanel';
import { Command } from './command';
import { sweepArg } from './sweepArgs';

export const openSweepReport: Command = {
  id: 'assignment2.openSweepReport',
  title: 'Open Sweep Report',
  async run(deps, raw?: unknown) {
    const sweep = await sweepArg(deps, raw, 'Open Sweep Report');
    if (!sweep) return undefined;
    const file = sweepReportHtml(sweep.dir);
    if (!file) throw new Error(missingReportMessage(sweep.dir));
    showSweepReport(sweep.dir, file, sweepLabel(sweep.record.grid));
    return file;
  },
};
