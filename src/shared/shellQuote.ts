/** A word for bash: single-quoted unless it is plainly safe, so that a shell passes it on as it is. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
