import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSession, GraphBuilder, type Session } from '@soundedit/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareClip, type PlanarAudio } from '../../audio/audio-clip.ts';
import { closeDecodeWorker } from '../../audio/decode/decode-thread.ts';
import { decodeAudio } from '../../audio/decode/decode.ts';
import { AudioDecodeError } from '../../audio/decode/errors.ts';
import { encodeWav } from '../../audio/decode/wav-writer.ts';
import { LogMelExtractor } from '../../audio/features/log-mel.ts';
import { clipConfigOf, inputShape } from './config.ts';
import { embedAudio, AudioEmbedder } from './embed-audio.ts';
import { AudioEmbedError, AudioEncoderConfigError } from './errors.ts';
import { createAudioEncoderSession } from './model.ts';
import { smallConfig } from './test-config.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', '..');
const SOUNDS_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'data', 'sounds');

const CONFIG = smallConfig();
const DIM = CONFIG.outputDim;

/** A few seconds of stereo at 22.05 kHz (so every clip is resampled and cropped), different per seed. */
function recording(seed: number, seconds = 1.6): PlanarAudio {
  const rate = 22_050;
  const n = Math.round(seconds * rate);
  const f = 200 + 150 * seed;
  const l = new Float32Array(n);
  const r = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const t = i / rate;
    const env = 0.5 + 0.5 * Math.sin(2 * Math.PI * (1 + seed) * t);
    l[i] = 0.5 * env * Math.sin(2 * Math.PI * f * t);
    r[i] = 0.3 * Math.sin(2 * Math.PI * f * 2.5 * t) + 0.02 * (s / 2 ** 32 - 0.5);
  }
  return { sampleRate: rate, channels: [l, r] };
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

function expectUnitRows(y: Float32Array, rows: number): void {
  expect(y.length).toBe(rows * DIM);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < DIM; j++) s += (y[r * DIM + j] as number) ** 2;
    expect(Math.sqrt(s)).toBeCloseTo(1, 5);
  }
}

let session: Session;
beforeAll(async () => {
  session = await createAudioEncoderSession(CONFIG, { seed: 11, threads: 2 });
});
afterAll(() => closeDecodeWorker());

describe('embedAudio', () => {
  it('embeds one recording as a unit row of outputDim', async () => {
    const y = await embedAudio(recording(1), session, CONFIG);
    expectUnitRows(y, 1);
  });

  it('is prepare -> log-mel -> model, stage for stage', async () => {
    const audio = recording(2);
    const clip = await prepareClip(audio, clipConfigOf(CONFIG));
    const mel = new LogMelExtractor(CONFIG.logMel).compute(clip.samples);
    const out = await session.run({ log_mel: { data: mel.data, dims: inputShape(CONFIG, 1) } });
    const embedder = new AudioEmbedder(session, CONFIG);
    expect(maxAbsDiff(embedder.features(await embedder.prepare(audio)), mel.data)).toBe(0);
    expect(maxAbsDiff(await embedder.embed(audio), out.embedding!.data as Float32Array)).toBe(0);
  });

  it('gives the same clip the same embedding, from bytes or decoded audio, every time', async () => {
    const audio = recording(3);
    const wav = encodeWav(audio.channels, audio.sampleRate, { encoding: 'float', bitsPerSample: 32 });
    const fromAudio = await embedAudio(audio, session, CONFIG);
    const fromBytes = await embedAudio(wav, session, CONFIG);
    expect(Array.from(fromBytes)).toEqual(Array.from(fromAudio));
    expect(Array.from(await embedAudio(audio, session, CONFIG))).toEqual(Array.from(fromAudio));
  });

  it('embeds a list in batches of batchSize exactly as one by one, in input order', async () => {
    // 5 inputs with batchSize 3: a full batch and a partial one; one input is bytes.
    const audios = [1, 2, 3, 4, 5].map((s) => recording(s, 0.6 + 0.4 * s));
    const inputs = [
      ...audios.slice(0, 4),
      encodeWav(audios[4]!.channels, 22_050, { encoding: 'pcm', bitsPerSample: 16 }),
    ];
    const batched = await embedAudio(inputs, session, CONFIG);
    expectUnitRows(batched, 5);
    for (let k = 0; k < 5; k++) {
      const alone = await embedAudio(inputs[k]!, session, CONFIG);
      expect(maxAbsDiff(batched.subarray(k * DIM, (k + 1) * DIM), alone), `clip ${k}`).toBeLessThan(1e-5);
    }
    expect(maxAbsDiff(batched.subarray(0, DIM), batched.subarray(DIM, 2 * DIM))).toBeGreaterThan(1e-4);
  });

  it('fails with typed errors: no input, a bad config, an unreadable upload', async () => {
    await expect(embedAudio([], session, CONFIG)).rejects.toMatchObject({
      name: 'AudioEmbedError',
      code: 'NO_INPUT',
    });
    await expect(embedAudio(recording(1), session, smallConfig({ batchSize: 0 }))).rejects.toBeInstanceOf(
      AudioEncoderConfigError,
    );
    const text = new TextEncoder().encode('this is a text file renamed to sound.wav\n'.repeat(20));
    await expect(embedAudio(text, session, CONFIG)).rejects.toBeInstanceOf(AudioDecodeError);
  });

  it('refuses a session built for another config or another graph', async () => {
    // Same front end, other embedding size: caught on the output.
    const wide = await createAudioEncoderSession(smallConfig({ outputDim: 16 }), { cache: false });
    await expect(embedAudio(recording(1), wide, CONFIG)).rejects.toMatchObject({ code: 'SESSION_MISMATCH' });
    // Longer clips: the session's fixed frame count rejects the feed.
    await expect(embedAudio(recording(1), session, smallConfig({ clipSeconds: 1.5 }))).rejects.toMatchObject({
      code: 'SESSION_MISMATCH',
    });
    await wide.release();

    const b = new GraphBuilder('other');
    b.output(b.op('Identity', [b.input('x', [1])]));
    const other = await createSession(b.model(), { cache: false });
    expect(() => new AudioEmbedder(other, CONFIG)).toThrow(AudioEmbedError);
    await other.release();
  });

  it('refuses vectors that are not unit length (a graph without the normalisation)', async () => {
    const [, , mels, frames] = inputShape(CONFIG, 1);
    const b = new GraphBuilder('unnormalised');
    const x = b.input('log_mel', ['batch', 1, mels, frames]);
    const pooled = b.op('ReduceMean', [x], { axes: [2, 3], keepdims: 0 });
    // [B, 1] -> [B, DIM] by a constant row: every entry is the clip's mean, so the norm is not 1.
    const y = b.op('MatMul', [pooled, b.constF(new Float32Array(DIM).fill(1), [1, DIM])]);
    b.graph.nodes.push({
      opType: 'Identity',
      inputs: [y],
      outputs: ['embedding'],
      name: 'out',
      domain: '',
      attributes: {},
    });
    b.output('embedding');
    const s = await createSession(b.model(), { cache: false });
    await expect(embedAudio([recording(1), recording(2)], s, CONFIG)).rejects.toMatchObject({
      name: 'AudioEmbedError',
      code: 'BAD_EMBEDDING',
      clip: 0,
    });
    await s.release();
  });
});

const REAL_DIR = path.join(SOUNDS_DIR, 'dog_bark');
const realFiles = existsSync(REAL_DIR)
  ? readdirSync(REAL_DIR)
      .filter((f) => f.endsWith('.ogg'))
      .sort()
      .slice(0, 2)
  : [];
if (realFiles.length < 2) {
  console.warn(
    `[embed-audio] skipping real-recording test: no .ogg clips in ${REAL_DIR} (../shared/data/sounds is absent)`,
  );
}

describe.skipIf(realFiles.length < 2)('embedAudio on real recordings (../shared/data/sounds)', () => {
  it('embeds two dog barks (Ogg Vorbis, 44.1 kHz) from bytes, as from their decoded audio', async () => {
    const bytes = realFiles.map((f) => readFileSync(path.join(REAL_DIR, f)));
    const fromBytes = await embedAudio(bytes, session, CONFIG);
    expectUnitRows(fromBytes, 2);
    const decoded = await Promise.all(bytes.map((b) => decodeAudio(b)));
    expect(Array.from(await embedAudio(decoded, session, CONFIG))).toEqual(Array.from(fromBytes));
    expect(maxAbsDiff(fromBytes.subarray(0, DIM), fromBytes.subarray(DIM))).toBeGreaterThan(1e-4);
  });
});
