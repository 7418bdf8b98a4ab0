/** What a report export produced, and what it could not include. */
import { z } from '../../shared/zod';
import { SHARPEN_MODES } from '../../shared/jobs/specs';

// The exported report (assignment2-report/)

/** A part of the assignment the report could not include, and what would produce it. */
export const MissingPart = z.object({
  part: z.enum(['q1', 'q2a', 'disNet', 'judge', 'q2b']),
  latent: z.number().int().min(1).optional(),
  mode: z.enum(SHARPEN_MODES).optional(),
  message: z.string(),
});
export type MissingPart = z.infer<typeof MissingPart>;

export const ReportSummary = z.object({
  outDir: z.string(),
  reportFile: z.string(),
  /** report.html: the same report with its figures inlined, for a browser and its print to PDF. */
  htmlFile: z.string(),
  /** Paths relative to outDir. */
  figures: z.array(z.string()),
  tables: z.array(z.string()),
  missing: z.array(MissingPart),
});
export type ReportSummary = z.infer<typeof ReportSummary>;
