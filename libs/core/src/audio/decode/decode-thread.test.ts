import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeAudio } from './decode.ts';
import { closeDecodeWorker } from './decode-thread.ts';
import { encodeWav } from './wav-writer.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const LIB_ROOT = resolve(HERE, '../../..');

afterAll(() => closeDecodeWorker());

function wavOf(seconds: number, value: number): Uint8Array {
  return encodeWav([new Float32Array(Math.round(8000 * seconds)).fill(value)], 8000, {
    encoding: 'float',
    bitsPerSample: 32,
  });
}

describe('decode worker thread', () => {
  it('serves concurrent requests in order, each with its own result', async () => {
    const results = await Promise.all(
      [0.1, 0.2, 0.3, 0.4].map((v, i) => decodeAudio(wavOf(0.25 * (i + 1), v))),
    );
    results.forEach((r, i) => {
      expect(r.durationS).toBe(0.25 * (i + 1));
      expect(r.channels[0]?.[0]).toBeCloseTo([0.1, 0.2, 0.3, 0.4][i] as number, 6);
    });
  });

  it("leaves the caller's bytes intact (the worker gets a copy)", async () => {
    const bytes = Buffer.from(wavOf(0.1, 0.5));
    await decodeAudio(bytes);
    expect(bytes.byteLength).toBeGreaterThan(0);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('RIFF');
  });

  it('works when the code runs under tsx (worker from .ts sources), and the process exits afterwards', () => {
    const dir = mkdtempSync(join(tmpdir(), 'soundedit-tsx-'));
    try {
      const script = join(dir, 'run.mts');
      const decodeTs = join(HERE, 'decode.ts');
      const wav = join(dir, 'a.wav');
      writeFileSync(wav, wavOf(0.5, 0.25));
      writeFileSync(
        script,
        `import { readFileSync } from 'node:fs';\nimport { decodeAudio } from ${JSON.stringify(decodeTs)};\n` +
          `const d = await decodeAudio(readFileSync(${JSON.stringify(wav)}));\nconsole.log(JSON.stringify({ rate: d.sampleRate, s: d.durationS }));\n`,
      );
      // No explicit close in the script: an idle worker must not keep the process alive.
      const out = execFileSync(process.execPath, ['--import', 'tsx', script], {
        cwd: LIB_ROOT,
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(JSON.parse(out.trim())).toEqual({ rate: 8000, s: 0.5 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
