export interface WavWriteOptions {
  encoding: 'pcm' | 'float';
  /** pcm: 8, 16, 24 or 32; float: 32 or 64. */
  bitsPerSample: number;
  /** Write a WAVE_FORMAT_EXTENSIBLE header (what most tools write for > 2 channels or > 16 bits). */
  extensible?: boolean;
}

const PCM_BITS = [8, 16, 24, 32];
const FLOAT_BITS = [32, 64];
/** KSDATAFORMAT_SUBTYPE GUID tail shared by PCM and IEEE float; the first two bytes carry the format tag. */
const SUBTYPE_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

/**
 * Encode planar samples as a RIFF/WAVE file. Integer PCM maps -1 to the most negative code and +1 to
 * the most positive (the inverse of the common decoders' asymmetric scaling), clipping outside [-1, 1].
 */
export function encodeWav(
  channels: readonly Float32Array[],
  sampleRate: number,
  options: WavWriteOptions,
): Uint8Array {
  const { encoding, bitsPerSample: bits, extensible = false } = options;
  if (!(encoding === 'pcm' ? PCM_BITS : FLOAT_BITS).includes(bits))
    throw new RangeError(`cannot write ${bits}-bit ${encoding} WAV`);
  const n = channels.length;
  const frames = channels[0]?.length ?? 0;
  if (n === 0 || channels.some((c) => c.length !== frames))
    throw new RangeError('encodeWav needs at least one channel, all of equal length');
  const bytesPerSample = bits / 8;
  const blockAlign = n * bytesPerSample;
  const fmtSize = extensible ? 40 : 16;
  const dataSize = frames * blockAlign;
  const out = new Uint8Array(12 + 8 + fmtSize + 8 + dataSize + (dataSize & 1));
  const dv = new DataView(out.buffer);
  const text = (pos: number, s: string): void => {
    for (let i = 0; i < s.length; i++) out[pos + i] = s.charCodeAt(i);
  };
  const tag = encoding === 'pcm' ? 1 : 3;
  text(0, 'RIFF');
  dv.setUint32(4, out.length - 8, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  dv.setUint32(16, fmtSize, true);
  dv.setUint16(20, extensible ? 0xfffe : tag, true);
  dv.setUint16(22, n, true);
  dv.setUint32(24, sampleRate, true);
  dv.setUint32(28, sampleRate * blockAlign, true);
  dv.setUint16(32, blockAlign, true);
  dv.setUint16(34, bits, true);
  if (extensible) {
    dv.setUint16(36, 22, true);
    dv.setUint16(38, bits, true);
    // Speaker mask: the first n standard positions (front L, front R, centre, LFE, ...).
    dv.setUint32(40, n >= 32 ? 0xffffffff : 2 ** n - 1, true);
    dv.setUint16(44, tag, true);
    out.set(SUBTYPE_TAIL, 46);
  }
  const dataTag = 20 + fmtSize;
  text(dataTag, 'data');
  dv.setUint32(dataTag + 4, dataSize, true);
  let p = dataTag + 8;
  const max = 2 ** (bits - 1);
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < n; c++) {
      const x = Math.max(-1, Math.min(1, (channels[c] as Float32Array)[i] as number));
      if (encoding === 'float') {
        if (bits === 32) dv.setFloat32(p, x, true);
        else dv.setFloat64(p, x, true);
      } else {
        const v = Math.round(x < 0 ? x * max : x * (max - 1));
        if (bits === 8) dv.setUint8(p, v + 128);
        else if (bits === 16) dv.setInt16(p, v, true);
        else if (bits === 24) {
          dv.setUint8(p, v & 0xff);
          dv.setUint8(p + 1, (v >> 8) & 0xff);
          dv.setUint8(p + 2, (v >> 16) & 0xff);
        } else dv.setInt32(p, v, true);
      }
      p += bytesPerSample;
    }
  }
  return out;
}
