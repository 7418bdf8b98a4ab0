/** The Q1 study's run: plain float64 and a fraction of a second, so no backend and nothing to cancel midway. */
import * as path from 'node:path';
import { JobSpec } from '../../shared/jobs/specs';
import { Q1Params } from '../../shared/q1/params';
import { q1AnswerMarkdown } from '../../shared/q1/report';
import { runQ1Study } from '../../shared/q1/study';
import { Q1Summary, RunRecord } from '../../runs/schema';
import { Q1_ANSWER_FILE, Q1_STUDY_FILE } from '../../runs/files';
import { writeFileAtomic } from '../../runs/store';
import { JobContext } from './jobContext';
import { inRun, startRun } from './runLifecycle';

export async function q1StudyJob(params: Q1Params, ctx: JobContext): Promise<RunRecord> {
  const job: JobSpec = { kind: 'q1Study', params };
  const run = startRun(ctx, job, 'q1', `Q1 study h=${params.landscape.h}, a=${params.optimizers.lr}`, 0);
  return inRun(ctx, run, async () => {
    const study = runQ1Study(params);
    writeFileAtomic(path.join(run.dir, Q1_STUDY_FILE), JSON.stringify(study));
    writeFileAtomic(path.join(run.dir, Q1_ANSWER_FILE), q1AnswerMarkdown(study));
    const summary: Q1Summary = {
      kind: 'q1',
      gdEscaped: study.runs.gd.escaped,
      adamEscaped: study.runs.adam.escaped,
      gdMaxEscapeHeight: study.maxEscape.gd.h,
      adamMaxEscapeHeight: study.maxEscape.adam.h,
    };
    return { cancelled: false, summary };
  });
}
