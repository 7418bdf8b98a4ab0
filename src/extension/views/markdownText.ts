/**
 * Text shown as typed in a Markdown tooltip: Markdown's marks and HTML's brackets escaped, since a run
 * or a swept setting may be named like a tag (MarkdownString.appendText leaves `<` as it is).
 */
export function markdownText(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!~|]/g, '\\$&').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '  \n');
}
