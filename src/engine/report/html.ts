/**
 * report.html: report.md rendered to one self-contained page a student can hand in. The figures are
 * inlined as data URLs and its policy loads nothing else, so the file prints to PDF from any browser,
 * alone; print styles keep tables, figures and headings whole on A4 and Letter alike.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Marked, type Tokens } from 'marked';

export const REPORT_HTML_FILE = 'report.html';

/** The only raw HTML report.md holds: the collapsible cluster tables. */
const OWN_HTML = /^\s*(<details><summary>[^<>]*<\/summary>|<\/details>)\s*$/;

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Paper-neutral margins (the browser's print dialog picks A4 or Letter); nothing splits across a page break. */
const STYLE = `
:root { color-scheme: light; }
body { margin: 0; background: #fff; color: #1a1a1a; font: 11pt/1.45 "Liberation Sans", "DejaVu Sans", Arial, sans-serif; }
main { max-width: 180mm; margin: 0 auto; padding: 12mm 0; }
h1 { font-size: 20pt; margin: 0 0 8pt; }
h2 { font-size: 15pt; margin: 18pt 0 6pt; border-bottom: 1px solid #ccc; padding-bottom: 2pt; }
h3 { font-size: 12.5pt; margin: 14pt 0 4pt; }
h4 { font-size: 11pt; margin: 10pt 0 4pt; }
p, ul, ol, blockquote { margin: 0 0 7pt; }
img { display: block; max-width: 100%; height: auto; margin: 6pt auto; }
table { border-collapse: collapse; margin: 6pt 0 10pt; font-size: 9pt; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #bbb; padding: 2pt 5pt; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
code { font: 9pt "DejaVu Sans Mono", "Liberation Mono", monospace; background: #f4f4f4; padding: 0 2px; overflow-wrap: anywhere; }
blockquote { border-left: 3px solid #c80; background: #fff8e8; padding: 4pt 8pt; }
details > summary { cursor: pointer; margin: 4pt 0; }
@page { margin: 15mm 14mm; }
@media print {
  main { max-width: none; padding: 0; }
  details > summary { list-style: none; font-weight: bold; }
  table, img, blockquote, pre, li { break-inside: avoid; }
  thead { display: table-header-group; }
  h1, h2, h3, h4 { break-after: avoid; }
  p:has(> img) { break-inside: avoid; }
}
`;

/**
 * The page for `markdown`, whose images are files under `dir`. Raw HTML other than the report's own
 * tags is shown as text, so a run name can never become markup.
 */
export function reportHtml(markdown: string, dir: string): string {
  const marked = new Marked({
    gfm: true,
    async: false,
    renderer: {
      html: ({ text }: Tokens.HTML | Tokens.Tag) => (OWN_HTML.test(text) ? text : escape(text)),
      image: ({ href, text }: Tokens.Image) => `<img src="${inlined(dir, href)}" alt="${escape(text)}">`,
    },
  });
  const body = marked.parse(markdown) as string;
  const title = markdown.match(/^# (.+)$/m)?.[1] ?? 'Report';
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escape(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    `<body><main>${body}</main></body>`,
    '</html>',
    '',
  ].join('\n');
}

/** A figure as a data URL; a figure the report names but the folder lacks is an error, not a broken page. */
function inlined(dir: string, href: string): string {
  const file = path.resolve(dir, href);
  if (path.relative(dir, file).startsWith('..') || path.extname(file) !== '.png') throw new Error(`report.md names an image outside its figures: ${href}`);
  return `data:image/png;base64,${fs.readFileSync(file).toString('base64')}`;
}
