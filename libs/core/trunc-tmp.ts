import { readFileSync } from 'node:fs';
import { decodeAudio } from './src/audio/decode/decode.ts';
import { closeDecodeWorker } from './src/audio/decode/decode-thread.ts';
for (const f of ['s.wav', 'a.mp3', 'a.ogg', 'a.opus', 'a.flac', 'a.webm', 'a.m4a', 'a.aac', 'a.mp4']) {
  const full = readFileSync('/tmp/af/' + f);
  const out: string[] = [];
  for (const n of [0.1, 0.35, 0.5, 0.75, 0.9]
    .map((p) => Math.floor(full.length * p))
    .concat([full.length - 1, 8, 24, 60])) {
    try {
      const d = await decodeAudio(full.subarray(0, n));
      out.push(`${n}:OK(${d.durationS.toFixed(2)})`);
    } catch (e) {
      out.push(`${n}:${(e as { code?: string }).code}`);
    }
  }
  console.log(f, out.join(' '));
}
await closeDecodeWorker();
