/** The DSP building blocks the sound classes are made of. */
export * from './dsp/noise.ts';
export * from './dsp/biquad.ts';
export * from './dsp/envelope.ts';
export * from './dsp/mix.ts';
export * from './dsp/loudness.ts';
export * from './dsp/reverb.ts';
export * from './dsp/voice.ts';
