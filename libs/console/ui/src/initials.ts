/** An avatar's letters: the first of up to two words ("Maria Souza" → "MS"); `fallback` without a name. */
export function initials(name: string | null | undefined, fallback = '?'): string {
  const letters = (name ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((part) => part[0])
    .join('')
    .slice(0, 2)
    .toUpperCase();
  return letters || fallback;
}
