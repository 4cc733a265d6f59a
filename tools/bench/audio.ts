/**
 * `npm run bench:audio [-- --runs N]`: time of each stage that turns a 10 s upload into an audio
 * embedding, on the CPU: decode (WAV, Ogg Vorbis), resample to 44.1 kHz, the paper's log-mel, and
 * a ResNet-18 audio encoder (seeded random weights; trained weights cost the same) at batch 1 and 8,
 * and contrastive training throughput (clips/s) for the paper's encoder and a small pack's.
 * Uses a real recording from ../shared/data/sounds when present, else a generated signal.
 * Threads: SOUNDEDIT_THREADS (default 2).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AudioEmbedder,
  closeDecodeWorker,
  createAudioEncoderSession,
  decodeAudio,
  defaultAudioEncoderConfig,
  downmix,
  encodeWav,
  findFfmpeg,
  inputShape,
  LogMelExtractor,
  PAPER_LOG_MEL_CONFIG,
  resample,
} from '@soundedit/core';
import { medianMs } from './measure.ts';
import { trainingThroughput, type ThroughputCase } from './training-throughput.ts';

const CLIP_S = 10;
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SOUNDS = path.resolve(REPO_ROOT, '..', 'shared', 'data', 'sounds');
/** Longer than 10 s and at 48 kHz, so the resampling stage has work to do. */
const REAL_WAVS = ['church_bells/glocken_Betglocke__Start_.wav', 'laughing/sharwin_laugh_large_0.wav'];
const REAL_OGGS = ['wind/blanket_wind.ogg'];

const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag >= 0 ? Number(process.argv[runsFlag + 1]) : 5;
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a whole number >= 1');
const threads = Number(process.env.SOUNDEDIT_THREADS ?? 2);
const work = mkdtempSync(path.join(tmpdir(), 'bench-audio-'));

function ffmpegOrNull(): string | null {
  try {
    return findFfmpeg();
  } catch {
    return null;
  }
}
const ffmpeg = ffmpegOrNull();

function runFfmpeg(args: string[]): void {
  if (ffmpeg === null) throw new Error('ffmpeg is not available');
  const r = spawnSync(ffmpeg, ['-v', 'error', '-y', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed: ${r.stderr}`);
}

/** 10 s of stereo at 48 kHz: tones with a tremolo, a sweep, noise bursts; stands in for a recording. */
function generated(): { sampleRate: number; channels: Float32Array[] } {
  const rate = 48_000;
  const n = CLIP_S * rate;
  const l = new Float32Array(n);
  const r = new Float32Array(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const t = i / rate;
    const noise = (s / 2 ** 32 - 0.5) * (Math.floor(t * 2) % 3 === 0 ? 0.4 : 0.02);
    const sweep = Math.sin(2 * Math.PI * (200 * t + 150 * t * t));
    l[i] = 0.3 * Math.sin(2 * Math.PI * 440 * t) * (0.6 + 0.4 * Math.sin(2 * Math.PI * 3 * t)) + noise;
    r[i] = 0.25 * sweep + noise;
  }
  return { sampleRate: rate, channels: [l, r] };
}

interface Source {
  wav: Uint8Array;
  ogg: Uint8Array | null;
  notes: string[];
}

async function sources(): Promise<Source> {
  const notes: string[] = [];
  const realWav = REAL_WAVS.map((f) => path.join(SOUNDS, f)).find((f) => existsSync(f));
  let wav: Uint8Array;
  let audio: { sampleRate: number; channels: Float32Array[] };
  if (realWav) {
    const full = await decodeAudio(readFileSync(realWav));
    const n = Math.min(full.channels[0]!.length, CLIP_S * full.sampleRate);
    audio = { sampleRate: full.sampleRate, channels: full.channels.map((c) => c.slice(0, n)) };
    wav = encodeWav(audio.channels, audio.sampleRate, { encoding: 'pcm', bitsPerSample: 16 });
    notes.push(
      `WAV: real recording ${path.relative(SOUNDS, realWav)} (first ${(n / full.sampleRate).toFixed(1)} s, ${full.sampleRate} Hz, ${full.channels.length} ch, re-written as 16-bit PCM)`,
    );
  } else {
    audio = generated();
    wav = encodeWav(audio.channels, audio.sampleRate, { encoding: 'pcm', bitsPerSample: 16 });
    notes.push(`WAV: generated ${CLIP_S} s signal (${SOUNDS} absent), 48000 Hz, 2 ch, 16-bit PCM`);
  }

  let ogg: Uint8Array | null = null;
  const realOgg = REAL_OGGS.map((f) => path.join(SOUNDS, f)).find((f) => existsSync(f));
  const out = path.join(work, 'clip.ogg');
  if (realOgg && ffmpeg) {
    // Stream copy: the recording's own Vorbis packets, cut at 10 s.
    runFfmpeg(['-i', realOgg, '-t', String(CLIP_S), '-c:a', 'copy', out]);
    ogg = readFileSync(out);
    notes.push(
      `OGG: real recording ${path.relative(SOUNDS, realOgg)}, cut to ${CLIP_S} s by ffmpeg stream copy`,
    );
  } else if (realOgg) {
    ogg = readFileSync(realOgg);
    notes.push(
      `OGG: real recording ${path.relative(SOUNDS, realOgg)}, whole file (no ffmpeg to cut it to ${CLIP_S} s)`,
    );
  } else if (ffmpeg) {
    const src = path.join(work, 'clip.wav');
    writeFileSync(src, wav);
    runFfmpeg(['-i', src, '-c:a', 'libvorbis', '-q:a', '4', out]);
    ogg = readFileSync(out);
    notes.push('OGG: the WAV clip above encoded by ffmpeg (libvorbis q4)');
  } else {
    notes.push('OGG: skipped (no real clip and no ffmpeg to make one)');
  }
  return { wav, ogg, notes };
}

const rows: Array<[string, string, number]> = [];
function record(key: string, label: string, ms: number): void {
  rows.push([key, label, ms]);
  console.log(`  ${label.padEnd(46)} ${ms.toFixed(1).padStart(9)} ms`);
}

try {
  console.log(
    `bench:audio — ${runs} runs per stage (median after a warm-up), onnxruntime CPU, ${threads} threads`,
  );
  console.log(`machine: ${cpus()[0]?.model ?? 'unknown CPU'} x ${cpus().length}, Node ${process.version}`);
  const src = await sources();
  for (const n of src.notes) console.log(`  source ${n}`);

  const decoded = await decodeAudio(src.wav);
  console.log(`  WAV clip: ${decoded.durationS.toFixed(2)} s`);
  record('decode_wav', 'decode WAV', await medianMs(runs, () => decodeAudio(src.wav)));
  if (src.ogg) {
    const ogg = src.ogg;
    console.log(`  OGG clip: ${(await decodeAudio(ogg)).durationS.toFixed(2)} s`);
    record('decode_ogg', 'decode Ogg Vorbis', await medianMs(runs, () => decodeAudio(ogg)));
  }

  const mono = downmix(decoded.channels);
  record(
    'downmix',
    `downmix ${decoded.channels.length} ch`,
    await medianMs(runs, async () => downmix(decoded.channels)),
  );
  const rate = PAPER_LOG_MEL_CONFIG.sampleRate;
  record(
    'resample_44k',
    `resample ${decoded.sampleRate} -> ${rate} Hz${decoded.sampleRate === rate ? ' (copy: same rate)' : ''}`,
    await medianMs(runs, () => resample(mono, decoded.sampleRate, rate)),
  );
  const clip = await resample(mono, decoded.sampleRate, rate);

  const extractor = new LogMelExtractor(PAPER_LOG_MEL_CONFIG);
  const config = defaultAudioEncoderConfig('resnet18');
  const mel = extractor.compute(clip.subarray(0, Math.round(config.clipSeconds * rate)));
  record(
    'log_mel',
    `log-mel (paper: ${PAPER_LOG_MEL_CONFIG.nMels} mels, n_fft ${PAPER_LOG_MEL_CONFIG.nFft}, hop ${PAPER_LOG_MEL_CONFIG.hop})`,
    await medianMs(runs, async () => extractor.compute(clip)),
  );

  const t0 = performance.now();
  const session = await createAudioEncoderSession(config, { seed: 0, threads, cache: false });
  console.log(
    `  ResNet-18 audio encoder, input [B, ${inputShape(config, 1).slice(1).join(', ')}] -> ${config.outputDim}-d: built and loaded in ${(performance.now() - t0).toFixed(0)} ms`,
  );
  const embedder = new AudioEmbedder(session, config);
  record(
    'embed_b1',
    'embed ResNet-18, batch 1',
    await medianMs(runs, () => embedder.embedFeatures(mel.data, 1)),
  );
  const batch = new Float32Array(8 * mel.data.length);
  for (let k = 0; k < 8; k++) batch.set(mel.data, k * mel.data.length);
  const b8 = await medianMs(runs, () => embedder.embedFeatures(batch, 8));
  record('embed_b8_per_clip', 'embed ResNet-18, batch 8, per clip', b8 / 8);
  record(
    'end_to_end_wav',
    'WAV bytes -> embedding (all stages, batch 1)',
    await medianMs(runs, () => embedder.embed(src.wav)),
  );
  await session.release();

  const cases: ThroughputCase[] = [
    {
      label: 'paper: ResNet-18, 10 s @ 44.1 kHz, 128 mels, batch 16',
      encoder: config,
      batchSize: 16,
      steps: 2,
      threads,
    },
    {
      label: 'small pack: ResNet-18 width 16, 2 s @ 16 kHz, 64 mels, batch 32',
      encoder: {
        ...config,
        baseWidth: 16,
        clipSeconds: 2,
        logMel: {
          ...PAPER_LOG_MEL_CONFIG,
          sampleRate: 16_000,
          nFft: 1024,
          winLength: 1024,
          hop: 256,
          nMels: 64,
        },
      },
      batchSize: 32,
      steps: 5,
      threads,
    },
  ];
  for (const [i, c] of cases.entries()) {
    const r = await trainingThroughput(c);
    console.log(
      `  training ${c.label} (+ SpecAugment view, SGD; ${r.trainableValues.toLocaleString('en')} trainable values): ${r.stepMs.toFixed(0)} ms/step`,
    );
    rows.push([`train_${i === 0 ? 'paper' : 'small'}_samples_per_s`, c.label, r.samplesPerSecond]);
    console.log(`  ${'training throughput'.padEnd(46)} ${r.samplesPerSecond.toFixed(2).padStart(9)} clips/s`);
  }
  for (const [key, , value] of rows)
    console.log(`bench:audio ${key} ${value.toFixed(key.startsWith('train_') ? 2 : 1)}`);
} finally {
  await closeDecodeWorker();
  rmSync(work, { recursive: true, force: true });
}
