/**
 * Contrastive training throughput for bench:audio: clips per second through a full optimiser step
 * (batch assembly with SpecAugment, forward and backward of the encoder on the clip batch plus
 * its augmented view, InfoNCE, BatchNorm statistics, the optimiser update), median over the
 * measured steps after one warm-up step.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  encodeWav,
  TextEncoder,
  trainAudioEncoder,
  WordLevelTokenizer,
  type AudioEncoderConfig,
  type DatasetItem,
} from '@soundedit/core';

export interface ThroughputCase {
  label: string;
  encoder: AudioEncoderConfig;
  batchSize: number;
  steps: number;
  threads: number;
}

export interface ThroughputResult {
  samplesPerSecond: number;
  stepMs: number;
  trainableValues: number;
}

/** Writes `count` clips of noise and tones at the encoder's rate and length. */
function writeClips(dir: string, encoder: AudioEncoderConfig, count: number): DatasetItem[] {
  const rate = encoder.logMel.sampleRate;
  const n = Math.round(encoder.clipSeconds * rate);
  let s = 7;
  return Array.from({ length: count }, (_, k) => {
    const x = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      x[i] = 0.2 * Math.sin((2 * Math.PI * (200 + 50 * k) * i) / rate) + 0.1 * (s / 2 ** 32 - 0.5);
    }
    const file = path.join(dir, `clip-${k}.wav`);
    writeFileSync(file, encodeWav([x], rate, { encoding: 'pcm', bitsPerSample: 16 }));
    return { audioPath: file, label: k % 2 === 0 ? 'tone' : 'hum' };
  });
}

export async function trainingThroughput(c: ThroughputCase): Promise<ThroughputResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-train-'));
  try {
    const items = writeClips(dir, c.encoder, c.batchSize);
    const tokenizer = WordLevelTokenizer.fromTexts(['the sound of tone', 'the sound of hum'], {
      contextLength: 16,
    });
    const text = await TextEncoder.create(
      {
        vocabSize: tokenizer.vocabSize,
        contextLength: 16,
        width: 64,
        layers: 2,
        heads: 4,
        embedDim: c.encoder.outputDim,
      },
      tokenizer,
      { session: { threads: c.threads } },
    );
    const stepMs: number[] = [];
    let last = performance.now();
    let trainable = 0;
    await trainAudioEncoder({
      encoder: c.encoder,
      runDir: path.join(dir, 'run'),
      train: items,
      textEncoder: text,
      batchSize: c.batchSize,
      steps: c.steps + 1,
      optimizer: { kind: 'sgd', lr: 1e-3 },
      schedule: { kind: 'cyclic-cosine' },
      temperature: { kind: 'learnable', init: 0.07 },
      specAugment: { freqMasks: 2, freqMaskWidth: 16, timeMasks: 2, timeMaskWidth: 40, maskValue: 'mean' },
      seed: 0,
      checkpointEvery: c.steps + 1,
      session: { threads: c.threads },
      onEvent: (e) => {
        if (e.type === 'start') {
          trainable = e.trainableValues;
          last = performance.now();
        }
        if (e.type === 'step') {
          const now = performance.now();
          if (e.step > 1) stepMs.push(now - last);
          last = now;
        }
      },
    });
    await text.release();
    stepMs.sort((a, b) => a - b);
    const median = stepMs[Math.floor(stepMs.length / 2)]!;
    return { samplesPerSecond: c.batchSize / (median / 1000), stepMs: median, trainableValues: trainable };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
