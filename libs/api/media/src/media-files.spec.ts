import type { MediaType } from '@parley/whatsapp/cloud-api';
import { cleanFilename, contentDisposition, safeMimeType } from './media-files';

const media = (mimeType: string, filename: string | null, kind: MediaType = 'document') => ({
  id: '1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed',
  kind,
  mimeType,
  filename,
});

describe('contentDisposition', () => {
  it('shows images, audio and video inline and downloads everything else', () => {
    expect(contentDisposition(media('image/png', 'a.png'))).toMatch(/^inline; /);
    expect(contentDisposition(media('audio/ogg; codecs=opus', null))).toMatch(/^inline; /);
    expect(contentDisposition(media('video/mp4', 'v.mp4'))).toMatch(/^inline; /);
    expect(contentDisposition(media('application/pdf', 'a.pdf'))).toMatch(/^attachment; /);
    expect(contentDisposition(media('text/plain', 'notes.txt'))).toMatch(/^attachment; /);
  });

  it('quotes an ASCII-safe name and carries the real one percent-encoded', () => {
    expect(contentDisposition(media('application/pdf', 'Relatório "final" 50%.pdf'))).toBe(
      `attachment; filename="Relat_rio _final_ 50_.pdf"; filename*=UTF-8''Relat%C3%B3rio%20%22final%22%2050%25.pdf`,
    );
    expect(contentDisposition(media('application/pdf', "a'b(c).pdf"))).toBe(
      `attachment; filename="a'b(c).pdf"; filename*=UTF-8''a%27b%28c%29.pdf`,
    );
  });

  it('names a file that came without a name after its kind, id and type', () => {
    expect(contentDisposition(media('image/jpeg', null, 'image'))).toBe(
      `inline; filename="image-1b9d6bcd.jpg"; filename*=UTF-8''image-1b9d6bcd.jpg`,
    );
  });
});

describe('cleanFilename', () => {
  it('keeps the base name without control characters, and null when nothing is left', () => {
    expect(cleanFilename('C:\\fakepath\\invoice.pdf')).toBe('invoice.pdf');
    expect(cleanFilename('../../etc/passwd')).toBe('passwd');
    expect(cleanFilename('bad\u0000name\r\n.txt')).toBe('badname.txt');
    expect(cleanFilename('  ')).toBeNull();
    expect(cleanFilename(null)).toBeNull();
    expect([...(cleanFilename('é'.repeat(300)) ?? '')]).toHaveLength(255);
  });
});

describe('safeMimeType', () => {
  it('keeps well-formed types (lower-cased) and refuses anything a header could not carry', () => {
    expect(safeMimeType('audio/ogg; codecs=opus')).toBe('audio/ogg; codecs=opus');
    expect(safeMimeType('Image/PNG')).toBe('image/png');
    expect(safeMimeType('text/html\r\nSet-Cookie: a=b')).toBeNull();
    expect(safeMimeType('nonsense')).toBeNull();
    expect(safeMimeType(null)).toBeNull();
  });
});
