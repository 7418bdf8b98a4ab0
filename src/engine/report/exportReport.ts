/**
 * Writes a report folder: report.md, the self-contained report.html, figures/*.png, results.json and the CSV files. The folder is
 * built beside its destination and swapped in at the end, so a failed or cancelled export leaves the
 * previous report as it was and never a half-written one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BackendPreference } from '../../shared/backends';
import { ReportSummary } from './schema';
import { writeFileAtomic } from '../../runs/store';
import { FigureWriter, q1Figures, q2aFigures, q2bFigures } from './figures';
import { decodedManifold } from './manifold';
import { replaceDir } from './replaceDir';
import { ReportInputs } from './inputs';
import { REPORT_HTML_FILE, reportHtml } from './html';
import { ReportFigures, reportMarkdown } from './markdown';
import { q1StudyOf, reportResults } from './results';
import { Table, toCsv } from '../../shared/csv';
import { q1Tables, q2aTables, q2bTables } from './tables';

export const REPORT_FILE = 'report.md';
export const RESULTS_FILE = 'results.json';

export interface ExportOptions {
  signal: AbortSignal;
  /** For the few figures that need a model run (dis_net's score of an (a) run scored before). */
  backend: BackendPreference;
  versions: Record<string, string>;
  /** The command that regenerates this report, quoted in it. */
  command: string;
  log(message: string): void;
}

export async function exportReport(inputs: ReportInputs, outDir: string, options: ExportOptions): Promise<ReportSummary> {
  const target = path.resolve(outDir);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const staging = fs.mkdtempSync(`${target}.partial-`);
  try {
    const study = q1StudyOf(inputs);
    options.log('Computing the figures of the report…');
    const results = await reportResults(inputs, study, options.versions, options.backend, options.signal);
    const figureWriter = new FigureWriter(staging, options.signal);
    const figures: ReportFigures = {};
    const tables: Record<string, Table> = {};
    if (study) {
      options.log('Drawing Q1…');
      figures.q1 = q1Figures(figureWriter, study);
      Object.assign(tables, q1Tables(study));
    }
    if (results.q2a) {
      options.log('Drawing Q2a…');
      figures.q2a = q2aFigures(figureWriter, inputs.q2a, await decodedManifold(inputs.q2a, options.backend));
      Object.assign(tables, q2aTables(inputs, results.q2a));
    }
    if (results.q2b) {
      options.log('Drawing Q2b…');
      figures.q2b = q2bFigures(figureWriter, inputs);
      Object.assign(tables, q2bTables(inputs, results.q2b));
    }
    for (const [name, table] of Object.entries(tables)) writeFileAtomic(path.join(staging, name), toCsv(table));
    writeFileAtomic(path.join(staging, RESULTS_FILE), JSON.stringify(results, null, 2) + '\n');
    const markdown = reportMarkdown(inputs, results, study, figures, options.command);
    writeFileAtomic(path.join(staging, REPORT_FILE), markdown);
    writeFileAtomic(path.join(staging, REPORT_HTML_FILE), reportHtml(markdown, staging));
    if (options.signal.aborted) throw new Error('Report export was cancelled.');
    replaceDir(staging, target);
    return {
      outDir: target,
      reportFile: path.join(target, REPORT_FILE),
      htmlFile: path.join(target, REPORT_HTML_FILE),
      figures: figureWriter.written,
      tables: Object.keys(tables),
      missing: results.missing,
    };
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}
