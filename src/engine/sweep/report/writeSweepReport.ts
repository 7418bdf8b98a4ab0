/**
 * The report over a sweep, in `<sweep>/report/`: report.md and the self-contained report.html, the
 * figures against each swept flag, summary.csv (mean and sd per setting), runs.csv (every run) and
 * summary.json (everything). Built beside the old report and swapped in whole, like the main report.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../../../runs/store';
import { L1_ALLOWANCE } from '../../../shared/q2b/verdict';
import { SweepRecord, sweepCommand, sweepLabel } from '../../../shared/experiment/sweep';
import { FigureWriter } from '../../report/figures';
import { reportHtml } from '../../report/html';
import { replaceDir } from '../../report/replaceDir';
import { toCsv } from '../../../shared/csv';
import { toMarkdown } from '../../report/tables';
import { SWEEP_REPORT_DIR, SWEEP_REPORT_FILES, sweepReportFiles } from '../sweepFolder';
import { SweepFigure, sweepFigures } from './sweepFigures';
import { SweepResults, sweepResults } from './sweepResults';
import { runsTable, summaryMarkdownTable, summaryTable } from './sweepTables';

function markdown(record: SweepRecord, results: SweepResults, figures: SweepFigure[]): string {
  const lines = [
    `# Sweep ${record.id}: ${sweepLabel(record.grid)}`,
    '',
    `Made by \`${sweepCommand(record)}\`${record.grid.base.length ? `; every task is Q2b with \`${record.grid.base.join(' ')}\`` : ''}. ` +
      `${results.tasks.completed} of ${results.tasks.total} tasks completed; written ${results.generatedAt}.`,
    '',
  ];
  if (results.gaps.length) lines.push('> **Not in this report:**', ...results.gaps.map((g) => `> - ${g}`), '', 'Run the sweep again to run what is missing; this report is rewritten when it ends.', '');
  if (!results.rows.length) return [...lines, 'No task has finished yet, so there is nothing to summarise.', ''].join('\n');
  lines.push(
    '## Over the seeds',
    '',
    `Mean ± standard deviation over the seeds of each setting. (a) is the Q2a autoencoder each (b) started from; *truly sharper* counts the seeds whose (b) has |1 − sharpness| closer to 0 than its (a), a higher clear score from the judge (a classifier no training used) and a test L1 at most ${100 * L1_ALLOWANCE}% worse.`,
    '',
    toMarkdown(summaryMarkdownTable(results)),
    '',
  );
  for (const flag of new Set(figures.map((f) => f.flag))) {
    const along = figures.filter((f) => f.flag === flag);
    lines.push(`## Against ${along[0].name} (\`${flag}\`)`, '');
    for (const f of along) lines.push(`![${f.metric} against ${f.name}](${f.file})`, '');
  }
  lines.push('## Every run', '', '<details><summary>The figures of each run of the sweep</summary>', '', toMarkdown(runsTable(results)), '', '</details>', '');
  lines.push(`The same figures: \`${SWEEP_REPORT_FILES.csv}\` (per setting), \`${SWEEP_REPORT_FILES.runsCsv}\` (per run), \`${SWEEP_REPORT_FILES.json}\` (everything).`, '');
  return lines.join('\n');
}

export interface SweepReport {
  dir: string;
  html: string;
  figures: string[];
  results: SweepResults;
}

/** Writes the sweep's report from its runs as they are now; what is not finished is named in it, not left out silently. */
export function writeSweepReport(dir: string, record: SweepRecord, runsDir: string, signal: AbortSignal = new AbortController().signal): SweepReport {
  const target = path.join(dir, SWEEP_REPORT_DIR);
  const staging = fs.mkdtempSync(`${target}.partial-`);
  try {
    const results = sweepResults(dir, record, runsDir);
    const figureWriter = new FigureWriter(staging, signal);
    const figures = sweepFigures(figureWriter, results);
    const file = (name: string) => path.join(staging, name);
    writeFileAtomic(file(SWEEP_REPORT_FILES.csv), toCsv(summaryTable(results)));
    writeFileAtomic(file(SWEEP_REPORT_FILES.runsCsv), toCsv(runsTable(results)));
    writeFileAtomic(file(SWEEP_REPORT_FILES.json), JSON.stringify(results, null, 2) + '\n');
    const text = markdown(record, results, figures);
    writeFileAtomic(file(SWEEP_REPORT_FILES.markdown), text);
    writeFileAtomic(file(SWEEP_REPORT_FILES.html), reportHtml(text, staging));
    replaceDir(staging, target);
    return { dir: target, html: sweepReportFiles(dir).html, figures: figureWriter.written, results };
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}

/** The report in a few lines, for the command line: where it is, and what it lacks. */
export function describeSweepReport(report: SweepReport): string {
  const { tasks, gaps } = report.results;
  return [`Sweep report: ${report.html} (${tasks.completed} of ${tasks.total} tasks, ${report.figures.length} figures).`, ...gaps.map((g) => `  not in it: ${g}`)].join('\n') + '\n';
}
