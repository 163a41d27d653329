/** Lower case without diacritics ("Não" → "nao"), so lexicons hold one spelling and customers who type without accents match. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/** Words of `text` (letters, digits and inner apostrophes), lower-cased, accents kept: for telling languages apart. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu) ?? [];
}

/** Words of `text`, folded, with apostrophes dropped ("don't" → "dont"). */
export function foldedWords(text: string): string[] {
  return words(fold(text)).map((word) => word.replace(/['’]/g, ''));
}

/**
 * Tokens for sentiment: folded words, and the clause breaks between them (`,` `.` `!` `?` `;` `:`
 * and "but"), as `|`, since a negation stops at a clause break.
 */
export function clauseTokens(text: string): string[] {
  const tokens = fold(text).match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*|[,.!?;:]/gu) ?? [];
  return tokens.map((token) => (/^[,.!?;:]$/.test(token) ? '|' : token.replace(/['’]/g, '')));
}

/** The text folded to single-spaced words, padded with a space each side, for phrase search with word boundaries. */
export function phraseSpace(text: string): string {
  return ` ${foldedWords(text).join(' ')} `;
}

/** Sentences of a message: split after `.` `!` `?` (and their runs) and at line breaks; empty ones dropped. */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?…])\s+|\n+/u)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length > 0);
}

export const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** Rounded to two decimals, for confidences. */
export const round2 = (value: number) => Math.round(value * 100) / 100;
