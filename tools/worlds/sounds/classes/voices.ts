/** Who is making a vocal sound: vocal tract size and a typical speaking pitch. */
import type { Rng } from '@soundedit/models';
import { logUniform, weighted } from '../random.ts';
import type { SoundTraits } from './sound-class.ts';

export type Speaker = NonNullable<SoundTraits['voice']>;

export interface VoiceProfile {
  speaker: Speaker;
  /** Formant scale relative to an adult man's vocal tract. */
  formantScale: number;
  /** Speaking f0 in Hz; laughs and cries rise well above it. */
  f0: number;
}

export function drawVoice(rng: Rng): VoiceProfile {
  const speaker = weighted(rng, { child: 1, woman: 1.2, man: 1 });
  switch (speaker) {
    case 'child':
      return { speaker, formantScale: logUniform(rng, 1.22, 1.38), f0: logUniform(rng, 240, 340) };
    case 'woman':
      return { speaker, formantScale: logUniform(rng, 1.08, 1.2), f0: logUniform(rng, 170, 250) };
    case 'man':
      return { speaker, formantScale: logUniform(rng, 0.94, 1.04), f0: logUniform(rng, 95, 145) };
  }
}
