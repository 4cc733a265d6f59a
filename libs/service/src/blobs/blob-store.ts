import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Content-addressed storage for sounds, pictures, animations and records. */
export interface BlobStore {
  /** Stores the bytes and returns their key (sha256 hex + extension); storing twice is free. */
  put(bytes: Uint8Array, extension: string): Promise<string>;
  /** The bytes of a key, or undefined when there is none. */
  get(key: string): Promise<Uint8Array | undefined>;
}

const KEY = /^[0-9a-f]{64}\.[a-z0-9]{1,8}$/;

export function isBlobKey(key: string): boolean {
  return KEY.test(key);
}

export function blobKeyOf(bytes: Uint8Array, extension: string): string {
  if (!/^[a-z0-9]{1,8}$/.test(extension)) throw new Error(`bad blob extension '${extension}'`);
  return `${createHash('sha256').update(bytes).digest('hex')}.${extension}`;
}

/** A local folder, two levels of fan-out by hash prefix; writes go through a temp file and a rename. */
export class FolderBlobStore implements BlobStore {
  constructor(readonly root: string) {}

  private pathOf(key: string): string {
    return join(this.root, key.slice(0, 2), key);
  }

  async put(bytes: Uint8Array, extension: string): Promise<string> {
    const key = blobKeyOf(bytes, extension);
    const file = this.pathOf(key);
    const exists = await stat(file).then(
      (s) => s.size === bytes.length,
      () => false,
    );
    if (!exists) {
      await mkdir(join(this.root, key.slice(0, 2)), { recursive: true });
      const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      await writeFile(temp, bytes);
      await rename(temp, file);
    }
    return key;
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    if (!isBlobKey(key)) return undefined;
    try {
      return new Uint8Array(await readFile(this.pathOf(key)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }
}

export const BLOB_CONTENT_TYPES: Readonly<Record<string, string>> = {
  png: 'image/png',
  gif: 'image/gif',
  jpg: 'image/jpeg',
  json: 'application/json',
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  opus: 'audio/ogg',
  flac: 'audio/flac',
  webm: 'audio/webm',
  mka: 'audio/x-matroska',
  m4a: 'audio/mp4',
  mp4: 'audio/mp4',
  aac: 'audio/aac',
  f32: 'application/octet-stream',
  bin: 'application/octet-stream',
};
