import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AudioDecodeError } from './errors.ts';
import { classifyFfmpegFailure, decodeWithFfmpeg, findFfmpeg } from './ffmpeg.ts';
import { encodeWav } from './wav-writer.ts';

const scratch = mkdtempSync(join(tmpdir(), 'soundedit-ffmpeg-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('findFfmpeg', () => {
  it('prefers SOUNDEDIT_FFMPEG, then PATH', () => {
    const bin = join(scratch, 'bin');
    execFileSync('mkdir', ['-p', bin]);
    const fake = join(bin, 'ffmpeg');
    writeFileSync(fake, '#!/bin/sh\nexit 0\n');
    chmodSync(fake, 0o755);
    expect(findFfmpeg({ PATH: `/nonexistent:${bin}` })).toBe(fake);
    expect(findFfmpeg({ PATH: '/nonexistent', SOUNDEDIT_FFMPEG: fake })).toBe(fake);
  });

  it('missing: FFMPEG_MISSING with the install command; a wrong SOUNDEDIT_FFMPEG is not silently replaced', () => {
    const missing = (env: NodeJS.ProcessEnv): AudioDecodeError => {
      try {
        findFfmpeg(env);
      } catch (e) {
        if (e instanceof AudioDecodeError) return e;
      }
      throw new Error('expected FFMPEG_MISSING');
    };
    const none = missing({ PATH: '/nonexistent' });
    expect(none.code).toBe('FFMPEG_MISSING');
    expect(none.message).toMatch(/apt-get install ffmpeg/u);
    const wrong = missing({ PATH: '/usr/bin:/bin', SOUNDEDIT_FFMPEG: '/nonexistent/ffmpeg' });
    expect(wrong.message).toMatch(/SOUNDEDIT_FFMPEG is set to "\/nonexistent\/ffmpeg"/u);
  });
});

describe('classifyFfmpegFailure', () => {
  it('maps ffmpeg log lines to codes', () => {
    expect(
      classifyFfmpegFailure(
        'mp4',
        '[mov,mp4,m4a,3gp,3g2,mj2 @ 0x1] moov atom not found\nin.mp4: Invalid data found when processing input',
      ).code,
    ).toBe('TRUNCATED');
    expect(classifyFfmpegFailure('webm', '[matroska,webm @ 0x1] File ended prematurely').code).toBe(
      'TRUNCATED',
    );
    expect(classifyFfmpegFailure('mp4', "Stream map '0:a:0' matches no streams.").code).toBe('NO_AUDIO');
    const other = classifyFfmpegFailure(
      'webm',
      '[matroska,webm @ 0x1] EBML header parsing failed\nin.webm: Invalid data found when processing input',
    );
    expect(other.code).toBe('CORRUPT');
    expect(other.message).toMatch(/WebM file could not be decoded.*Invalid data found/u);
  });
});

let ffmpeg: string | null = null;
try {
  ffmpeg = findFfmpeg();
} catch {
  console.warn(
    'Skipping the ffmpeg temp-file test: ffmpeg not found (apt-get install ffmpeg, or set SOUNDEDIT_FFMPEG).',
  );
}

describe.skipIf(ffmpeg === null)('decodeWithFfmpeg', () => {
  it('decodes from a temp file and removes it, on success and on failure', async () => {
    const wav = join(scratch, 'in.wav');
    const tone = Float32Array.from(
      { length: 8000 },
      (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / 8000),
    );
    writeFileSync(
      wav,
      encodeWav([tone, tone, tone, tone, tone, tone], 8000, { encoding: 'pcm', bitsPerSample: 16 }),
    );
    const webm = execFileSync(ffmpeg as string, [
      '-nostdin',
      '-v',
      'error',
      '-i',
      wav,
      '-c:a',
      'libopus',
      '-f',
      'webm',
      'pipe:1',
    ]);
    const temp = join(scratch, 'tmp');
    execFileSync('mkdir', ['-p', temp]);
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = temp;
    try {
      const out = await decodeWithFfmpeg(webm, { format: 'webm', maxDurationS: 10, timeoutMs: 10_000 });
      expect(out.sampleRate).toBe(48000);
      expect(out.channels).toHaveLength(6);
      expect(readdirSync(temp)).toEqual([]);
      await expect(
        decodeWithFfmpeg(webm.subarray(0, 100), { format: 'webm', maxDurationS: 10, timeoutMs: 10_000 }),
      ).rejects.toBeInstanceOf(AudioDecodeError);
      expect(readdirSync(temp)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });
});
