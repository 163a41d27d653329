/** A run of text as WhatsApp styles it. */
export interface Segment {
  text: string;
  style: 'plain' | 'bold' | 'italic' | 'strike' | 'mono';
}

const STYLED = /```([^`]+)```|\*([^*\n]+)\*|_([^_\n]+)_|~([^~\n]+)~/g;
const STYLES = ['mono', 'bold', 'italic', 'strike'] as const;

/**
 * WhatsApp's formatting (`*bold*`, `_italic_`, `~strike~`, ```` ```mono``` ````) as runs of text, so a
 * preview renders it without HTML from user input.
 */
export function whatsappSegments(text: string): Segment[] {
  const segments: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(STYLED)) {
    const at = match.index ?? 0;
    if (at > last) segments.push({ text: text.slice(last, at), style: 'plain' });
    const group = match.slice(1).findIndex((value) => value !== undefined);
    segments.push({ text: match[group + 1] ?? '', style: STYLES[group] ?? 'plain' });
    last = at + match[0].length;
  }
  if (last < text.length) segments.push({ text: text.slice(last), style: 'plain' });
  return segments;
}
