import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { LocalMediaStorage } from './local-media-storage';
import { MediaFileMissing } from './media-storage';

const read = async (stream: Readable) => Buffer.concat(await stream.toArray());

/** Every file under `dir`, relative, recursively. */
const filesUnder = async (dir: string) =>
  (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();

describe('LocalMediaStorage', () => {
  let parent: string;
  let root: string;
  let storage: LocalMediaStorage;

  beforeEach(async () => {
    parent = await mkdtemp(join(tmpdir(), 'parley-media-spec-'));
    root = join(parent, 'media');
    storage = new LocalMediaStorage(root);
  });
  afterEach(() => rm(parent, { recursive: true, force: true }));

  it('stores buffers and streams under their key, creating directories, and reads them back', async () => {
    await storage.put('org-1/2026/05/a', Buffer.from('first'), 'text/plain');
    await storage.put('org-1/2026/05/b', Readable.from([Buffer.from('sec'), Buffer.from('ond')]), 'text/plain', 6);
    expect((await read(await storage.get('org-1/2026/05/a'))).toString()).toBe('first');
    expect((await read(await storage.get('org-1/2026/05/b'))).toString()).toBe('second');
    expect(await filesUnder(root)).toEqual(['org-1/2026/05/a', 'org-1/2026/05/b']);
  });

  it('answers MediaFileMissing for a key with no file, and deletes without minding missing ones', async () => {
    await expect(storage.get('org-1/2026/05/none')).rejects.toBeInstanceOf(MediaFileMissing);
    await storage.put('org-1/x', Buffer.from('x'), 'text/plain');
    await storage.delete('org-1/x');
    await storage.delete('org-1/x');
    await expect(storage.get('org-1/x')).rejects.toBeInstanceOf(MediaFileMissing);
  });

  it.each(['../escape', 'org/../../escape', '/etc/passwd', 'org\\..\\escape', 'org/./x', '.hidden', 'org//x', ''])(
    'refuses the key %j and writes nothing anywhere',
    async (key) => {
      await expect(storage.put(key, Buffer.from('evil'), 'text/plain')).rejects.toThrow('Refusing media storage key');
      await expect(storage.get(key)).rejects.toThrow('Refusing media storage key');
      await expect(storage.delete(key)).rejects.toThrow('Refusing media storage key');
      expect(await filesUnder(parent)).toEqual([]);
    },
  );

  it('shows a file only once it is complete, and leaves nothing behind when writing fails', async () => {
    const slow = new PassThrough();
    const writing = storage.put('org-1/slow', slow, 'text/plain');
    slow.write('half of it');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(storage.get('org-1/slow')).rejects.toBeInstanceOf(MediaFileMissing);
    slow.end(' and the rest');
    await writing;
    expect((await read(await storage.get('org-1/slow'))).toString()).toBe('half of it and the rest');

    const broken = new PassThrough();
    const failing = storage.put('org-1/broken', broken, 'text/plain');
    broken.write('some bytes');
    broken.destroy(new Error('client went away'));
    await expect(failing).rejects.toThrow('client went away');
    expect(await filesUnder(root)).toEqual(['org-1/slow']);
  });
});
