import type { Media } from './entities/media.entity';

/** `type/subtype` with optional `; key=value` parameters, nothing a header could choke on. */
const MIME_TYPE = /^[a-z0-9][\w.+-]*\/[\w.+-]+(?:\s*;\s*[\w.+-]+=[\w.+-]+)*$/i;

/** The type a header can carry, or null for anything else (a sender's value is not trusted blindly). */
export function safeMimeType(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return MIME_TYPE.test(trimmed) ? trimmed.toLowerCase() : null;
}

/** `image/png; x=y` → `image/png`. */
export function baseMimeType(mimeType: string): string {
  return mimeType.split(';')[0]?.trim().toLowerCase() ?? '';
}

/**
 * The name a person gave a file, as we keep it: no directories (`C:\fakepath\a.pdf` → `a.pdf`), no
 * control characters (PostgreSQL refuses NUL), at most 255 characters; null when nothing is left.
 */
export function cleanFilename(name: string | null | undefined): string | null {
  const base = (name ?? '').split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  const cleaned = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return cleaned === '' ? null : [...cleaned].slice(0, 255).join('');
}

/** Extensions for the types Meta accepts, for naming a download that came without a name. */
const EXTENSIONS: Record<string, string> = {
  'audio/aac': 'aac',
  'audio/amr': 'amr',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/ogg': 'ogg',
  'text/plain': 'txt',
  'application/pdf': 'pdf',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-powerpoint': 'ppt',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'video/mp4': 'mp4',
  'video/3gpp': '3gp',
};

/** The file's own name, or `<kind>-<id prefix>.<ext>` when it came without one (images and voice notes do). */
export function downloadName(media: Pick<Media, 'id' | 'kind' | 'mimeType' | 'filename'>): string {
  if (media.filename) return media.filename;
  const extension = EXTENSIONS[baseMimeType(media.mimeType)];
  return `${media.kind}-${media.id.slice(0, 8)}${extension ? `.${extension}` : ''}`;
}

/**
 * `Content-Disposition` per RFC 6266: images, audio and video open in place, anything else is
 * downloaded. The quoted name is ASCII with `"`, `\` and `%` replaced; `filename*` carries the real
 * name, percent-encoded, for browsers that read it.
 */
export function contentDisposition(media: Pick<Media, 'id' | 'kind' | 'mimeType' | 'filename'>): string {
  const inline = /^(image|audio|video)\//.test(baseMimeType(media.mimeType));
  const name = downloadName(media);
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${inline ? 'inline' : 'attachment'}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * For serving what others uploaded from our own origin: nothing in the file may run or load
 * anything (`sandbox` makes even an HTML or SVG document script-less and origin-less), but an
 * image, audio or video shown directly still displays.
 */
export const MEDIA_CONTENT_SECURITY_POLICY =
  "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox";
