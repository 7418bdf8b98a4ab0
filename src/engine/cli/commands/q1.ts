import * as fs from 'node:fs';
import * as path from 'node:path';
import { q1ParamsOf } from '../../../shared/experiment/overrides';
import type { Q1Study } from '../../../shared/q1/studyTypes';
import { Q1_ANSWER_FILE, Q1_STUDY_FILE } from '../../../runs/files';
import { progressPrinter } from '../../cliProgress';
import { runJob } from '../../jobs/runJob';
import { CliCommand } from '../command';
import { q1Json } from '../describe';
import { withFlagNames } from '../flags';
import { Q1_FLAGS } from '../tables';
import { overridesOf } from './overrides';

export const q1: CliCommand = {
  name: 'q1',
  summary: 'Q1: gradient descent against Adam on the bump landscape; saves the study as a run and prints the answers to parts (1) and (2).',
  flags: Q1_FLAGS,
  async run(inv) {
    const { overrides } = overridesOf(Q1_FLAGS, inv);
    const params = withFlagNames(Q1_FLAGS, inv.values, () => q1ParamsOf(overrides));
    const record = await runJob({ kind: 'q1Study', params }, inv.context(progressPrinter()));
    const runDir = path.join(inv.runsDir, record.id);
    if (inv.json) {
      const study = JSON.parse(fs.readFileSync(path.join(runDir, Q1_STUDY_FILE), 'utf8')) as Q1Study;
      inv.out(JSON.stringify(q1Json(study, runDir), null, 2) + '\n');
    } else {
      inv.out(fs.readFileSync(path.join(runDir, Q1_ANSWER_FILE), 'utf8'));
    }
    return 0;
  },
};
