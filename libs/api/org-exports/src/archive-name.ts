/** The org's name as a file name part: lowercase ASCII letters, digits and dashes (accents dropped), at most 40. */
export function slugOf(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 40)
    .replace(/^-+|-+$/g, '');
}

/**
 * `parley-export-<org-slug>-<yyyy-mm-dd>.zip`, dated by when the archive was made (UTC); the org's
 * id stands in for a name with nothing to keep (all punctuation, or a script other than Latin).
 */
export function archiveFilename(org: { id: string; name: string }, madeAt: Date): string {
  return `parley-export-${slugOf(org.name) || org.id}-${madeAt.toISOString().slice(0, 10)}.zip`;
}
