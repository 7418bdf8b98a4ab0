import { exportReport } from '../../report/exportReport';
import { collectReportInputs } from '../../report/inputs';
import { packageVersions } from '../../versions';
import { CliCommand } from '../command';
import { describeReport } from '../describe';
import { valuesOf } from '../flags';
import { OUT_FLAG } from '../tables';
import { outDirOf } from './overrides';

export const report: CliCommand = {
  name: 'report',
  summary: 'Write the report folder from the newest finished runs of each part.',
  flags: [OUT_FLAG],
  async run(inv) {
    const out = outDirOf(valuesOf([OUT_FLAG], inv.values).options);
    const summary = await exportReport(collectReportInputs(inv.runsDir), out, {
      signal: inv.signal,
      backend: inv.backend,
      versions: packageVersions(),
      command: 'npx assignment2 report',
      log: (message) => inv.err(`${message}\n`),
    });
    inv.out(inv.json ? JSON.stringify(summary, null, 2) + '\n' : describeReport(summary));
    return 0;
  },
};
