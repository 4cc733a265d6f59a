// Test-only helpers: read the JSON vectors written by tools/reference/audio_features_fixtures.py.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, '..', '..', '..', '..', '..');
export const SOUNDS_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'data', 'sounds');

export function loadFixture<T>(name: string): T {
  return JSON.parse(readFileSync(path.join(HERE, 'fixtures', name), 'utf8')) as T;
}

export function decodeF32(b64: string): Float32Array {
  const bytes = Buffer.from(b64, 'base64');
  const out = new Float32Array(bytes.length / 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
}

interface SignalsFile {
  signals: Record<string, { sampleRate: number; pcm16: string; length: number }>;
}

/** A fixture input signal as float32 (int16 / 32768, exact). */
export function fixtureSignal(name: string): { sampleRate: number; samples: Float32Array } {
  const entry = loadFixture<SignalsFile>('signals.json').signals[name];
  if (entry === undefined) throw new Error(`no fixture signal ${name}`);
  const bytes = Buffer.from(entry.pcm16, 'base64');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const samples = new Float32Array(entry.length);
  for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(2 * i, true) / 32768;
  return { sampleRate: entry.sampleRate, samples };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] as number));
  return m;
}
