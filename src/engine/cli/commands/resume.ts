import * as path from 'node:path';
import { progressPrinter } from '../../cliProgress';
import { resumeRun } from '../../jobs/resumeRun';
import { CliCommand } from '../command';
import { UsageError } from '../flags';

export const resume: CliCommand = {
  name: 'resume',
  summary: 'Continue an interrupted or cancelled training run from its last finished epoch, with the results an uninterrupted run would have.',
  flags: [],
  positionals: '<run-id>',
  async run(inv, positionals) {
    if (positionals.length !== 1) throw new UsageError('resume takes one run id (the run folder\'s name, as "npx assignment2 ... --json" or the Runs view shows it).');
    const record = await resumeRun(positionals[0], inv.context(progressPrinter()));
    const runDir = path.join(inv.runsDir, record.id);
    if (inv.json) inv.out(JSON.stringify({ runId: record.id, runDir, status: record.status, summary: record.summary }, null, 2) + '\n');
    else inv.err(`${record.status}: ${runDir}\n`);
    return record.status === 'cancelled' ? 130 : 0;
  },
};
