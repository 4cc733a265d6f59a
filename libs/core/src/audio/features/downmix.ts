import { FeatureInputError } from './errors.ts';
import { assertFiniteSamples, assertNonEmpty } from './validate.ts';

/**
 * Mean of the channels (what librosa's `to_mono` does), accumulated in float64 so many channels do
 * not lose precision. A single channel comes back as a copy, never the caller's array.
 */
export function downmix(channels: readonly Float32Array[]): Float32Array {
  const first = channels[0];
  if (first === undefined) throw new FeatureInputError('EMPTY_INPUT', 'downmix: no channels');
  assertNonEmpty(first, 'downmix');
  channels.forEach((ch, c) => {
    if (ch.length !== first.length) {
      throw new FeatureInputError(
        'CHANNEL_LENGTH_MISMATCH',
        `downmix: channel ${c} has ${ch.length} samples, channel 0 has ${first.length}`,
      );
    }
    assertFiniteSamples(ch, `downmix channel ${c}`);
  });
  if (channels.length === 1) return first.slice();
  const out = new Float32Array(first.length);
  const scale = 1 / channels.length;
  for (let i = 0; i < out.length; i++) {
    let sum = 0;
    for (const ch of channels) sum += ch[i] as number;
    out[i] = sum * scale;
  }
  return out;
}
