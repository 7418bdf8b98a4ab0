/**
 * sweep-report: writes (again) the report over the sweep in <dir> from its runs as they are now. The
 * executors write it when a sweep's tasks have all ended; this is for a report wanted before that, or
 * one to redraw.
 */
import * as path from 'node:path';
import { readSweep, runsDirOf } from '../../sweep/sweepFolder';
import { describeSweepReport, writeSweepReport } from '../../sweep/report/writeSweepReport';
import { CliCommand } from '../command';
import { UsageError } from '../flags';

export const sweepReport: CliCommand = {
  name: 'sweep-report',
  summary: "Write the report over the sweep in <dir> (tables of mean ± sd over seeds, figures against each swept setting, CSV and JSON) from its finished tasks.",
  positionals: '<dir>',
  flags: [],
  async run(inv, positionals) {
    if (positionals.length !== 1) throw new UsageError('give one sweep folder: sweep-report <dir> (the folder under sweeps/ that holds sweep.json).');
    const dir = path.resolve(positionals[0]);
    const record = readSweep(dir);
    const report = writeSweepReport(dir, record, runsDirOf(dir, record), inv.signal);
    inv.out(inv.json ? JSON.stringify({ dir: report.dir, html: report.html, figures: report.figures, gaps: report.results.gaps }, null, 2) + '\n' : describeSweepReport(report));
    return 0;
  },
};
