/** `%text%` for ILIKE, with LIKE's own wildcards (`%`, `_`) and its escape (`\`) in the text matched literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
