// Test-only helpers: temporary dataset trees with tiny real WAV files.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeWav } from '../audio/decode/wav-writer.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, '..', '..', '..', '..');

/** 10 ms of a quiet tone at 8 kHz: a valid WAV a decoder would accept, 204 bytes on disk. */
export function tinyWav(): Uint8Array {
  const samples = new Float32Array(80);
  for (let i = 0; i < samples.length; i++) samples[i] = 0.1 * Math.sin((2 * Math.PI * 440 * i) / 8000);
  return encodeWav([samples], 8000, { encoding: 'pcm', bitsPerSample: 16 });
}

export class TempTree {
  readonly root = mkdtempSync(path.join(tmpdir(), 'soundedit-data-'));

  /** Write a file (text or bytes) at a path relative to the root, creating folders; returns its absolute path. */
  write(rel: string, content: string | Uint8Array): string {
    const file = path.join(this.root, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    return file;
  }

  wav(rel: string): string {
    return this.write(rel, tinyWav());
  }

  path(rel: string): string {
    return path.join(this.root, rel);
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
