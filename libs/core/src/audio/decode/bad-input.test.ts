import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudio } from './decode.ts';
import { closeDecodeWorker } from './decode-thread.ts';
import { AudioDecodeError, type AudioDecodeErrorCode } from './errors.ts';
import { findFfmpeg } from './ffmpeg.ts';
import { encodeWav } from './wav-writer.ts';

const RATE = 44100;

function tone(freq: number, seconds: number): Float32Array {
  const x = new Float32Array(Math.round(RATE * seconds));
  for (let i = 0; i < x.length; i++) x[i] = 0.5 * Math.sin((2 * Math.PI * freq * i) / RATE);
  return x;
}

/** Deterministic PRNG (mulberry32) so a failing fuzz case can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

async function decodeError(
  bytes: Uint8Array,
  limits?: Parameters<typeof decodeAudio>[1],
): Promise<AudioDecodeError> {
  try {
    await decodeAudio(bytes, limits);
  } catch (e) {
    if (e instanceof AudioDecodeError) return e;
    throw new Error(`expected an AudioDecodeError, got ${String(e)}`, { cause: e });
  }
  throw new Error('expected an AudioDecodeError, but the bytes decoded');
}

const goodWav = encodeWav([tone(440, 1), tone(1000, 1)], RATE, { encoding: 'pcm', bitsPerSample: 16 });

/** The service still works: a good file decodes after whatever came before. */
async function expectStillServing(): Promise<void> {
  const d = await decodeAudio(goodWav);
  expect(d.channels).toHaveLength(2);
  expect(d.durationS).toBe(1);
}

afterAll(() => closeDecodeWorker());

describe('inputs refused before decoding', () => {
  it('empty', async () => {
    const e = await decodeError(new Uint8Array(0));
    expect(e.code).toBe('EMPTY');
    expect(e.message).toMatch(/empty/u);
  });

  it('a text file renamed .wav says it is text', async () => {
    const text = new TextEncoder().encode('Meeting notes\nBring the recording tomorrow.\n'.repeat(20));
    const e = await decodeError(text);
    expect(e.code).toBe('UNSUPPORTED_FORMAT');
    expect(e.message).toMatch(/text file/u);
    expect(e.message).toMatch(/WAV, MP3/u);
  });

  it('other non-audio names what it looks like', async () => {
    const html = new TextEncoder().encode('<!DOCTYPE html><html><body>404</body></html>');
    expect((await decodeError(html)).message).toMatch(/HTML page/u);
    const png = Uint8Array.from([
      0x89,
      0x50,
      0x4e,
      0x47,
      0x0d,
      0x0a,
      0x1a,
      0x0a,
      ...new Array<number>(64).fill(0),
    ]);
    expect((await decodeError(png)).message).toMatch(/PNG image/u);
  });

  it('over-size, before looking inside', async () => {
    const e = await decodeError(goodWav, { maxBytes: 1000 });
    expect(e.code).toBe('TOO_LARGE');
    expect(e.message).toMatch(/limit is 0\.0 MB/u);
  });

  it('a WAV header claiming 65,535 channels is refused at once', async () => {
    const bad = goodWav.slice();
    new DataView(bad.buffer).setUint16(22, 65535, true);
    const t0 = performance.now();
    const e = await decodeError(bad);
    expect(performance.now() - t0).toBeLessThan(200);
    expect(e.code).toBe('CORRUPT');
    expect(e.message).toMatch(/65535 channels/u);
  });

  it('WAV header damage: rate 0, absurd rate, inconsistent frame size, compressed, no samples, NaN', async () => {
    const patch = (at: number, bits: 16 | 32, value: number): Uint8Array => {
      const b = goodWav.slice();
      const dv = new DataView(b.buffer);
      if (bits === 16) dv.setUint16(at, value, true);
      else dv.setUint32(at, value, true);
      return b;
    };
    const rate0 = await decodeError(patch(24, 32, 0));
    expect([rate0.code, rate0.message]).toEqual(['CORRUPT', expect.stringMatching(/0 Hz/u)]);
    expect((await decodeError(patch(24, 32, 5_000_000))).code).toBe('CORRUPT');
    expect((await decodeError(patch(32, 16, 3))).code).toBe('CORRUPT');
    const adpcm = await decodeError(patch(20, 16, 0x11));
    expect([adpcm.code, adpcm.message]).toEqual(['UNSUPPORTED_FORMAT', expect.stringMatching(/IMA ADPCM/u)]);
    expect(
      (await decodeError(encodeWav([new Float32Array(0)], RATE, { encoding: 'pcm', bitsPerSample: 16 })))
        .code,
    ).toBe('NO_AUDIO');
    const nan = encodeWav([tone(440, 0.1)], RATE, { encoding: 'float', bitsPerSample: 32 });
    new DataView(nan.buffer).setFloat32(44 + 400, Number.NaN, true);
    expect((await decodeError(nan)).code).toBe('CORRUPT');
    await expectStillServing();
  });

  it('over-long WAV, from the header', async () => {
    const e = await decodeError(goodWav, { maxDurationS: 0.5 });
    expect(e.code).toBe('TOO_LONG');
    expect(e.message).toMatch(/1\.0 s long; the limit is 0\.5 s/u);
  });

  it('a decode past its time budget is stopped, and the next one works', async () => {
    // A cold worker takes far longer than 1 ms to start, so the deadline always passes first.
    await closeDecodeWorker();
    const e = await decodeError(goodWav, { timeoutMs: 1 });
    expect(e.code).toBe('TIMEOUT');
    await expectStillServing();
  });

  it('seeded random bytes: every case is a typed error', async () => {
    const next = rng(20240601);
    const codes = new Set<AudioDecodeErrorCode>();
    for (let i = 0; i < 300; i++) {
      const b = new Uint8Array(1 + Math.floor(next() * 4096));
      for (let k = 0; k < b.length; k++) b[k] = Math.floor(next() * 256);
      codes.add((await decodeError(b)).code);
    }
    expect(codes.has('UNSUPPORTED_FORMAT')).toBe(true);
    await expectStillServing();
  });
});

let ffmpeg: string | null = null;
try {
  ffmpeg = findFfmpeg();
} catch {
  console.warn(
    'Skipping the ffmpeg-made bad-input cases: ffmpeg not found (apt-get install ffmpeg, or set SOUNDEDIT_FFMPEG).',
  );
}

describe('truncated, mutated and over-long files of every format', () => {
  const files = new Map<string, Uint8Array>([['wav', goodWav]]);
  let dir = '';

  beforeAll(() => {
    if (!ffmpeg) return;
    dir = mkdtempSync(join(tmpdir(), 'soundedit-bad-input-'));
    const wav = join(dir, 'source.wav');
    writeFileSync(wav, goodWav);
    // The output's extension picks ffmpeg's muxer.
    const make = (name: string, args: string[]): void => {
      const out = join(dir, name.includes('.') ? name : `a.${name}`);
      execFileSync(ffmpeg as string, ['-nostdin', '-v', 'error', '-y', ...args, out]);
      files.set(name, readFileSync(out));
    };
    make('mp3', ['-i', wav, '-c:a', 'libmp3lame']);
    make('ogg', ['-i', wav, '-c:a', 'libvorbis']);
    make('opus', ['-i', wav, '-c:a', 'libopus']);
    make('flac', ['-i', wav, '-c:a', 'flac']);
    make('webm', ['-i', wav, '-c:a', 'libopus']);
    make('m4a', ['-i', wav, '-c:a', 'aac']);
    make('aac', ['-i', wav, '-c:a', 'aac']);
    make('mp4', [
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=64x48:rate=10:d=1',
      '-i',
      wav,
      '-c:v',
      'mpeg4',
      '-c:a',
      'aac',
      '-shortest',
    ]);
    // Streamed FLAC: written to a pipe, STREAMINFO cannot give the length, so only decoding finds it.
    files.set(
      'flac-streamed',
      execFileSync(ffmpeg, ['-nostdin', '-v', 'error', '-i', wav, '-c:a', 'flac', '-f', 'flac', 'pipe:1']),
    );
    // Video only, no audio track.
    make('video-only.mp4', ['-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10:d=1', '-c:v', 'mpeg4']);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const formats = ['wav', 'mp3', 'ogg', 'opus', 'flac', 'webm', 'm4a', 'aac', 'mp4'];

  it('the untouched files decode (so the failures below are the damage, not the fixtures)', async () => {
    if (!ffmpeg) expect(files.size).toBe(1);
    for (const [name, bytes] of files) {
      if (name === 'video-only.mp4') continue;
      const d = await decodeAudio(bytes);
      expect(Math.abs(d.durationS - 1), name).toBeLessThan(0.08);
    }
  });

  it('truncated at several points, from inside the header to the last byte: TRUNCATED', async () => {
    for (const name of formats) {
      const full = files.get(name);
      if (!full) continue;
      const cuts = [
        8,
        24,
        60,
        ...[0.1, 0.35, 0.5, 0.75, 0.9].map((f) => Math.floor(full.length * f)),
        full.length - 1,
      ];
      for (const cut of cuts) {
        const e = await decodeError(full.subarray(0, cut));
        expect(e.code, `${name} cut to ${cut} of ${full.length} bytes: ${e.message}`).toBe('TRUNCATED');
      }
    }
    await expectStillServing();
  });

  it('over-long in every format: TOO_LONG', async () => {
    for (const [name, bytes] of files) {
      if (name === 'video-only.mp4') continue;
      const e = await decodeError(bytes, { maxDurationS: 0.5 });
      expect(e.code, name).toBe('TOO_LONG');
      expect(e.message, name).toMatch(/limit (is|of) 0\.5 s/u);
      // No length in its header: the worker stops at the limit instead of decoding everything.
      if (name === 'flac-streamed') expect(e.message).toMatch(/longer than the limit/u);
    }
  });

  it.skipIf(!ffmpeg)('a video without audio: NO_AUDIO', async () => {
    const e = await decodeError(files.get('video-only.mp4') as Uint8Array);
    expect(e.code).toBe('NO_AUDIO');
    expect(e.message).toMatch(/no audio track/u);
  });

  it.skipIf(!ffmpeg)('ffmpeg past its time budget is killed: TIMEOUT', async () => {
    const e = await decodeError(files.get('webm') as Uint8Array, { timeoutMs: 1 });
    expect(e.code).toBe('TIMEOUT');
  });

  it.skipIf(!ffmpeg)('ffmpeg missing: FFMPEG_MISSING naming the install command', async () => {
    const saved = process.env.SOUNDEDIT_FFMPEG;
    process.env.SOUNDEDIT_FFMPEG = '/nonexistent/ffmpeg';
    try {
      const e = await decodeError(files.get('m4a') as Uint8Array);
      expect(e.code).toBe('FFMPEG_MISSING');
      expect(e.message).toMatch(/apt-get install ffmpeg/u);
    } finally {
      if (saved === undefined) delete process.env.SOUNDEDIT_FFMPEG;
      else process.env.SOUNDEDIT_FFMPEG = saved;
    }
  });

  it('seeded fuzz on real headers: random bodies and flipped bytes decode sanely or fail typed', async () => {
    const next = rng(7);
    let failed = 0;
    let cases = 0;
    for (const name of formats) {
      const full = files.get(name);
      if (!full) continue;
      // ffmpeg cases cost a process each; the in-process decoders get more.
      const rounds = ['webm', 'm4a', 'aac', 'mp4'].includes(name) ? 6 : 30;
      for (let r = 0; r < rounds; r++) {
        const b = full.slice();
        if (r % 2 === 0) {
          // Keep the first bytes (the header), randomise the rest.
          for (let k = Math.min(200, b.length >> 2); k < b.length; k++) b[k] = Math.floor(next() * 256);
        } else {
          for (let flips = 0; flips < 20; flips++)
            b[Math.floor(next() * b.length)] = Math.floor(next() * 256);
        }
        cases++;
        try {
          const d = await decodeAudio(b);
          expect(d.channels.length).toBeGreaterThan(0);
          expect(d.durationS).toBeLessThan(5);
          expect(d.channels.every((c) => c.every((v) => Number.isFinite(v)))).toBe(true);
        } catch (e) {
          if (!(e instanceof AudioDecodeError))
            throw new Error(`${name} fuzz round ${r}: untyped failure ${String(e)}`, { cause: e });
          failed++;
        }
      }
    }
    expect(cases).toBeGreaterThan(0);
    // Random PCM is still valid WAV; the compressed formats must notice damage at least sometimes.
    if (files.size > 1) expect(failed).toBeGreaterThan(0);
    await expectStillServing();
  });
});
