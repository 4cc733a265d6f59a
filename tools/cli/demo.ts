/**
 * `npm run demo`: one edit on the default pack: a rain sound (made by the synthesiser, seeded, so
 * the demo needs no download) turns a generated landscape rainy. Writes the pictures, the
 * trajectory and the record to demo-out/ and prints where.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { encodeWav } from '@soundedit/core';
import { findPacks, Rng } from '@soundedit/models';
import { synthesizeSound } from '../worlds/sounds/synthesize.ts';
import { edit } from './commands/edit.ts';
import { cliPackDirs } from './pack-dirs.ts';

// npm runs workspace scripts inside tools/; INIT_CWD is where the user typed the command.
const out = path.resolve(process.env.INIT_CWD ?? process.cwd(), process.argv[2] ?? 'demo-out');
const packs = (await findPacks(cliPackDirs())).packs;
const pack = packs.find((p) => p.manifest.name === 'tiny-scenes') ?? packs[0];
if (!pack) {
  process.stderr.write(
    `no model pack found in ${cliPackDirs().join(', ')}; build one with npm run train:pack -- --world scenes\n`,
  );
  process.exit(1);
}
const sound = pack.manifest.classes.find((c) => c.name === 'rain') ?? pack.manifest.classes[0]!;
await mkdir(out, { recursive: true });
const clip = synthesizeSound(sound.name as Parameters<typeof synthesizeSound>[0], new Rng(2024), {
  sampleRate: 16_000,
});
const wav = path.join(out, `${sound.name}.wav`);
await writeFile(wav, encodeWav([clip.samples], clip.sampleRate, { encoding: 'pcm', bitsPerSample: 16 }));
process.stdout.write(`sound: ${wav} (${clip.caption})\n`);
await edit.run(['--audio', wav, '--pack', pack.dir, '--seed', '7', '--out', out]);
