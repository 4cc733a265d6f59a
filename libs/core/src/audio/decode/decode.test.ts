import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudio } from './decode.ts';
import { closeDecodeWorker } from './decode-thread.ts';
import { findFfmpeg } from './ffmpeg.ts';
import type { AudioFormat } from './sniff.ts';
import { encodeWav, type WavWriteOptions } from './wav-writer.ts';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');
const SOUNDS = resolve(REPO_ROOT, '..', 'shared', 'data', 'sounds');

function tone(freq: number, rate: number, seconds: number, amp = 0.5): Float32Array {
  const x = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < x.length; i++) x[i] = amp * Math.sin((2 * Math.PI * freq * i) / rate);
  return x;
}

/** Frequency of a pure tone from its rising zero crossings (interpolated), over the middle 80% to skip codec edges. */
function zeroCrossingHz(x: Float32Array, rate: number): number {
  const from = Math.floor(x.length * 0.1);
  const to = Math.floor(x.length * 0.9);
  let first = -1;
  let last = -1;
  let count = 0;
  for (let i = from; i < to; i++) {
    const a = x[i] as number;
    const b = x[i + 1] as number;
    if (a < 0 && b >= 0) {
      const t = i + a / (a - b);
      if (first < 0) first = t;
      last = t;
      count++;
    }
  }
  return ((count - 1) * rate) / (last - first);
}

/** Power of one frequency over the whole signal (Goertzel). */
function powerAt(x: Float32Array, rate: number, freq: number): number {
  const w = (2 * Math.PI * freq) / rate;
  const coeff = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  for (const v of x) {
    const s0 = v + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return (s1 * s1 + s2 * s2 - coeff * s1 * s2) / x.length;
}

afterAll(() => closeDecodeWorker());

describe('WAV variants written by the test', () => {
  const cases: { name: string; opts: WavWriteOptions; channels: number; rate: number; tolerance: number }[] =
    [
      {
        name: '8-bit PCM mono 8 kHz',
        opts: { encoding: 'pcm', bitsPerSample: 8 },
        channels: 1,
        rate: 8000,
        tolerance: 1 / 127,
      },
      {
        name: '16-bit PCM stereo 44.1 kHz',
        opts: { encoding: 'pcm', bitsPerSample: 16 },
        channels: 2,
        rate: 44100,
        tolerance: 1 / 32767,
      },
      {
        name: '24-bit PCM stereo 48 kHz',
        opts: { encoding: 'pcm', bitsPerSample: 24 },
        channels: 2,
        rate: 48000,
        tolerance: 1e-6,
      },
      {
        name: '32-bit PCM mono 96 kHz',
        opts: { encoding: 'pcm', bitsPerSample: 32 },
        channels: 1,
        rate: 96000,
        tolerance: 1e-7,
      },
      {
        name: '32-bit float stereo 22.05 kHz',
        opts: { encoding: 'float', bitsPerSample: 32 },
        channels: 2,
        rate: 22050,
        tolerance: 0,
      },
      {
        name: '64-bit float mono 16 kHz',
        opts: { encoding: 'float', bitsPerSample: 64 },
        channels: 1,
        rate: 16000,
        tolerance: 1e-7,
      },
      {
        name: '16-bit PCM 6 channels',
        opts: { encoding: 'pcm', bitsPerSample: 16 },
        channels: 6,
        rate: 48000,
        tolerance: 1 / 32767,
      },
      {
        name: 'EXTENSIBLE 24-bit 6 channels',
        opts: { encoding: 'pcm', bitsPerSample: 24, extensible: true },
        channels: 6,
        rate: 48000,
        tolerance: 1e-6,
      },
      {
        name: 'EXTENSIBLE 32-bit float stereo',
        opts: { encoding: 'float', bitsPerSample: 32, extensible: true },
        channels: 2,
        rate: 44100,
        tolerance: 0,
      },
    ];
  for (const c of cases) {
    it(c.name, async () => {
      // A different tone per channel, so a channel mix-up shows.
      const freqs = Array.from({ length: c.channels }, (_, i) => 440 * (i + 1));
      const source = freqs.map((f) => tone(f, c.rate, 0.5));
      const decoded = await decodeAudio(encodeWav(source, c.rate, c.opts));
      expect(decoded.format).toBe('wav');
      expect(decoded.sampleRate).toBe(c.rate);
      expect(decoded.channels).toHaveLength(c.channels);
      expect(decoded.durationS).toBeCloseTo(0.5, 9);
      decoded.channels.forEach((ch, i) => {
        const src = source[i] as Float32Array;
        let worst = 0;
        for (let k = 0; k < src.length; k++)
          worst = Math.max(worst, Math.abs((ch[k] as number) - (src[k] as number)));
        expect(worst).toBeLessThanOrEqual(c.tolerance + 1e-9);
        expect(zeroCrossingHz(ch, c.rate)).toBeCloseTo(freqs[i] as number, 0);
      });
    });
  }
});

describe('WAV layouts seen in the wild', () => {
  const source = [tone(440, 16000, 0.25), tone(1000, 16000, 0.25)];
  const plain = encodeWav(source, 16000, { encoding: 'pcm', bitsPerSample: 16 });
  const concat = (...parts: Uint8Array[]): Uint8Array => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };
  const chunk = (id: string, body: number[]): Uint8Array => {
    const c = new Uint8Array(8 + body.length + (body.length & 1));
    c.set(Array.from(id, (ch) => ch.charCodeAt(0)));
    new DataView(c.buffer).setUint32(4, body.length, true);
    c.set(body, 8);
    return c;
  };
  const expectSource = async (bytes: Uint8Array): Promise<void> => {
    const d = await decodeAudio(bytes);
    expect(d.durationS).toBe(0.25);
    expect(zeroCrossingHz(d.channels[0] as Float32Array, 16000)).toBeCloseTo(440, 0);
    expect(zeroCrossingHz(d.channels[1] as Float32Array, 16000)).toBeCloseTo(1000, 0);
  };

  it('an odd-sized chunk (with its pad byte) before the data', async () => {
    // 'RIFF....WAVE' + fmt chunk (24 bytes) first, then the odd chunk, then data.
    await expectSource(concat(plain.subarray(0, 36), chunk('LIST', [1, 2, 3, 4, 5]), plain.subarray(36)));
  });

  it("a chunk after the data, and a streaming writer's placeholder data size", async () => {
    await expectSource(concat(plain, chunk('id3 ', [9, 9, 9, 9])));
    const streamed = plain.slice();
    new DataView(streamed.buffer).setUint32(40, 0xffffffff, true);
    await expectSource(streamed);
  });
});

let ffmpeg: string | null = null;
try {
  ffmpeg = findFfmpeg();
} catch {
  console.warn(
    'Skipping the ffmpeg-made decode cases: ffmpeg not found (apt-get install ffmpeg, or set SOUNDEDIT_FFMPEG).',
  );
}

describe.skipIf(ffmpeg === null)('files made by ffmpeg from a 440 Hz / 1 kHz stereo WAV', () => {
  const RATE = 44100;
  const SECONDS = 2;
  // prettier-ignore
  const cases: { name: string; file: string; args: string[]; format: AudioFormat; rate: number; durationTol: number; freqTol: number }[] = [
    { name: 'MP3', file: 'a.mp3', args: ['-c:a', 'libmp3lame', '-b:a', '128k'], format: 'mp3', rate: 44100, durationTol: 0.03, freqTol: 0.01 },
    { name: 'Ogg Vorbis', file: 'a.ogg', args: ['-c:a', 'libvorbis', '-q:a', '4'], format: 'ogg-vorbis', rate: 44100, durationTol: 0.03, freqTol: 0.01 },
    { name: 'Ogg Opus', file: 'a.opus', args: ['-c:a', 'libopus', '-b:a', '96k'], format: 'ogg-opus', rate: 48000, durationTol: 0.03, freqTol: 0.01 },
    { name: 'FLAC', file: 'a.flac', args: ['-c:a', 'flac'], format: 'flac', rate: 44100, durationTol: 1e-9, freqTol: 0.005 },
    { name: 'WebM/Opus', file: 'a.webm', args: ['-c:a', 'libopus'], format: 'webm', rate: 48000, durationTol: 0.03, freqTol: 0.01 },
    { name: 'M4A/AAC', file: 'a.m4a', args: ['-c:a', 'aac'], format: 'm4a', rate: 44100, durationTol: 0.06, freqTol: 0.01 },
    { name: 'raw AAC (ADTS)', file: 'a.aac', args: ['-c:a', 'aac', '-f', 'adts'], format: 'aac', rate: 44100, durationTol: 0.06, freqTol: 0.01 },
  ];
  let dir = '';
  let made: Map<string, Uint8Array>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'soundedit-decode-test-'));
    const wav = join(dir, 'source.wav');
    writeFileSync(
      wav,
      encodeWav([tone(440, RATE, SECONDS), tone(1000, RATE, SECONDS)], RATE, {
        encoding: 'pcm',
        bitsPerSample: 16,
      }),
    );
    made = new Map();
    const run = (args: string[]): void =>
      void execFileSync(ffmpeg as string, ['-nostdin', '-v', 'error', '-y', ...args]);
    for (const c of cases) {
      run(['-i', wav, ...c.args, join(dir, c.file)]);
      made.set(c.file, readFileSync(join(dir, c.file)));
    }
    // Video + audio, plain `ffmpeg out.mp4`: the index (moov) lands after the media data.
    run([
      '-f',
      'lavfi',
      '-i',
      `testsrc=size=64x48:rate=10:d=${SECONDS}`,
      '-i',
      wav,
      '-map',
      '0:v',
      '-map',
      '1:a',
      '-c:v',
      'mpeg4',
      '-c:a',
      'aac',
      '-shortest',
      join(dir, 'a.mp4'),
    ]);
    made.set('a.mp4', readFileSync(join(dir, 'a.mp4')));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const check = async (
    bytes: Uint8Array,
    format: AudioFormat,
    rate: number,
    durationTol: number,
    freqTol: number,
  ): Promise<void> => {
    const d = await decodeAudio(bytes);
    expect(d.format).toBe(format);
    expect(d.sampleRate).toBe(rate);
    expect(d.channels).toHaveLength(2);
    expect(Math.abs(d.durationS - SECONDS)).toBeLessThanOrEqual(durationTol + 0.02);
    const [left, right] = d.channels as [Float32Array, Float32Array];
    expect(Math.abs(zeroCrossingHz(left, rate) / 440 - 1)).toBeLessThan(freqTol);
    expect(Math.abs(zeroCrossingHz(right, rate) / 1000 - 1)).toBeLessThan(freqTol);
    // Channels stay apart: each side's own tone dominates the other's.
    expect(powerAt(left, rate, 440)).toBeGreaterThan(100 * powerAt(left, rate, 1000));
    expect(powerAt(right, rate, 1000)).toBeGreaterThan(100 * powerAt(right, rate, 440));
  };

  for (const c of cases) {
    it(c.name, () => check(made.get(c.file) as Uint8Array, c.format, c.rate, c.durationTol, c.freqTol));
  }

  it('MP4 with a video track and the index at the end', async () => {
    const mp4 = made.get('a.mp4') as Uint8Array;
    const text = Buffer.from(mp4).toString('latin1');
    expect(text.indexOf('moov')).toBeGreaterThan(text.indexOf('mdat'));
    await check(mp4, 'mp4', 44100, 0.06, 0.01);
  });
});

interface SourceRow {
  file: string;
  format: string;
  detail: string;
}

/** The 'class,file,...,detail,bytes' rows of SOURCES.csv; fields may be quoted and hold commas. */
function readSources(csv: string): SourceRow[] {
  const rows: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const ch = csv[i];
    if (quoted) {
      if (ch === '"' && csv[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      row.push(field.replace(/\r$/u, ''));
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field || row.length) rows.push([...row, field]);
  const [head, ...body] = rows;
  const col = (name: string): number => (head ?? []).indexOf(name);
  return body
    .filter((r) => r.length > 1)
    .map((r) => ({
      file: r[col('file')] ?? '',
      format: r[col('format')] ?? '',
      detail: r[col('detail')] ?? '',
    }));
}

const haveSounds = existsSync(join(SOUNDS, 'SOURCES.csv'));
if (!haveSounds) console.warn(`Skipping the real-recording decode test: ${SOUNDS} is absent.`);

describe.skipIf(!haveSounds)('real recordings in ../shared/data/sounds', () => {
  // 256 real files, some minutes long: generous, since CI runs the other projects' tests beside it.
  it('decodes every clip to what SOURCES.csv describes', async () => {
    const rows = readSources(readFileSync(join(SOUNDS, 'SOURCES.csv'), 'utf8'));
    const onDisk = readdirSync(SOUNDS).filter(
      (d) => d !== 'licenses' && statSync(join(SOUNDS, d)).isDirectory(),
    );
    expect(rows.length).toBeGreaterThan(0);
    let decoded = 0;
    for (const row of rows) {
      const path = join(SOUNDS, row.file);
      if (!onDisk.includes(row.file.split('/')[0] ?? '') || !existsSync(path)) continue;
      const d = await decodeAudio(readFileSync(path));
      decoded++;
      const where = `${row.file} (${row.detail})`;
      expect(d.format, where).toBe({ WAV: 'wav', MP3: 'mp3', OGG: 'ogg-vorbis' }[row.format]);
      const hz = /([\d.]+) (k?)Hz/u.exec(row.detail);
      if (hz) expect(d.sampleRate, where).toBe(Math.round(Number(hz[1]) * (hz[2] ? 1000 : 1)));
      const ch =
        /(\d+) ch\b/u.exec(row.detail)?.[1] ??
        (/\bmono\b/iu.test(row.detail) ? '1' : /stereo/iu.test(row.detail) ? '2' : null);
      if (ch) expect(d.channels.length, where).toBe(Number(ch));
      // WAV and Ogg details give the exact length; MP3's is an estimate "if CBR".
      const secs = /([\d.]+) s$/u.exec(row.detail)?.[1];
      if (secs && row.format !== 'MP3')
        expect(Math.abs(d.durationS - Number(secs)), where).toBeLessThan(0.02 + Number(secs) * 0.001);
      let peak = 0;
      for (const c of d.channels) for (const v of c) peak = Math.max(peak, Math.abs(v));
      expect(peak, where).toBeGreaterThan(0);
      expect(peak, where).toBeLessThan(2);
    }
    expect(decoded).toBeGreaterThan(0);
  }, 180_000);
});
