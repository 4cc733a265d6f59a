import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { AudioDecodeError } from './errors.ts';
import { label } from './limits.ts';
import { readWavHeader } from './wav-header.ts';

/** Containers handed to ffmpeg, with the demuxer each is forced through (never ffmpeg's own probing). */
export const FFMPEG_DEMUXERS = {
  webm: 'matroska',
  matroska: 'matroska',
  mp4: 'mov',
  m4a: 'mov',
  aac: 'aac',
} as const;
export type FfmpegFormat = keyof typeof FFMPEG_DEMUXERS;

export interface FfmpegDecodeOptions {
  format: FfmpegFormat;
  /** Decoding stops a little past this; the caller decides whether the result is too long. */
  maxDurationS: number;
  timeoutMs: number;
  /** Defaults to findFfmpeg(). */
  ffmpegPath?: string;
}

export interface FfmpegDecoded {
  sampleRate: number;
  channels: Float32Array[];
}

const INSTALL_HINT =
  'Install it (Debian/Ubuntu: `sudo apt-get install ffmpeg`) or set SOUNDEDIT_FFMPEG to its path.';
const STDERR_CAP = 64 * 1024;

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** SOUNDEDIT_FFMPEG when set (and then nothing else, so a typo is not silently replaced), else `ffmpeg` on PATH. */
export function findFfmpeg(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.SOUNDEDIT_FFMPEG;
  if (explicit) {
    if (isExecutable(explicit)) return explicit;
    throw new AudioDecodeError(
      'FFMPEG_MISSING',
      `SOUNDEDIT_FFMPEG is set to "${explicit}", which is not an executable file. ${INSTALL_HINT}`,
    );
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'ffmpeg');
    if (isExecutable(candidate)) return candidate;
  }
  throw new AudioDecodeError(
    'FFMPEG_MISSING',
    `Decoding WebM, MP4, M4A and AAC audio needs ffmpeg, which was not found on PATH. ${INSTALL_HINT}`,
  );
}

/** Patterns in ffmpeg's log that mean the input stops early; checked on success too (ffmpeg decodes what it has and exits 0). */
const TRUNCATION =
  /moov atom not found|atom truncated|File ended prematurely|partial file|Truncat|premature end/i;
const NO_AUDIO = /matches no streams|does not contain any stream/i;

/** Turn a failed run's log into the error the user sees. */
export function classifyFfmpegFailure(format: string, stderr: string): AudioDecodeError {
  const name = label(format);
  if (NO_AUDIO.test(stderr))
    return new AudioDecodeError('NO_AUDIO', `The ${name} file has no audio track.`, format);
  if (TRUNCATION.test(stderr))
    return new AudioDecodeError(
      'TRUNCATED',
      `The ${name} file stops early: the upload looks incomplete.`,
      format,
    );
  const last = stderr.trim().split('\n').at(-1)?.trim() ?? '';
  const detail = last ? ` (ffmpeg: ${last.replace(/^\[[^\]]*\]\s*/u, '').slice(0, 200)})` : '';
  return new AudioDecodeError(
    'CORRUPT',
    `The ${name} file could not be decoded; it is probably damaged${detail}.`,
    format,
  );
}

/**
 * Decode through ffmpeg from a temporary file. Never a pipe: an MP4 whose index (moov) sits at the end
 * gives zero samples through a pipe and still exits 0. Output is 32-bit float WAV, which carries its
 * own rate and channel count.
 */
export async function decodeWithFfmpeg(
  bytes: Uint8Array,
  options: FfmpegDecodeOptions,
): Promise<FfmpegDecoded> {
  const ffmpeg = options.ffmpegPath ?? findFfmpeg();
  const dir = await mkdtemp(join(tmpdir(), 'soundedit-decode-'));
  try {
    const input = join(dir, `input.${options.format}`);
    const output = join(dir, 'output.wav');
    await writeFile(input, bytes);
    // prettier-ignore
    const args = [
      '-nostdin', '-hide_banner', '-nostats', '-loglevel', 'warning',
      '-protocol_whitelist', 'file', '-f', FFMPEG_DEMUXERS[options.format], '-i', input,
      '-map', '0:a:0', '-vn', '-sn', '-dn',
      // A little past the limit, so "too long" is measured rather than silently cut.
      '-t', String(options.maxDurationS + 1),
      '-c:a', 'pcm_f32le', '-f', 'wav', '-y', output,
    ];
    const { code, stderr } = await run(ffmpeg, args, options.timeoutMs, options.format);
    if (code !== 0) throw classifyFfmpegFailure(options.format, stderr);
    if (TRUNCATION.test(stderr)) throw classifyFfmpegFailure(options.format, stderr);
    return readFloatWav(await readFile(output), options.format);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function run(
  cmd: string,
  args: string[],
  timeoutMs: number,
  format: string,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => {
      if (stderr.length < STDERR_CAP) stderr += s;
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (err.code === 'ENOENT' || err.code === 'EACCES') {
        reject(
          new AudioDecodeError(
            'FFMPEG_MISSING',
            `ffmpeg could not be started from "${cmd}" (${err.code}). ${INSTALL_HINT}`,
            format,
            { cause: err },
          ),
        );
      } else reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (timedOut) {
        reject(
          new AudioDecodeError(
            'TIMEOUT',
            `Decoding took longer than ${(timeoutMs / 1000).toFixed(0)} s and was stopped; the file is probably damaged or unusually complex.`,
            format,
          ),
        );
      } else resolve({ code, stderr });
    });
  });
}

/** De-interleave ffmpeg's float WAV output. */
function readFloatWav(wav: Uint8Array, format: string): FfmpegDecoded {
  let header;
  try {
    header = readWavHeader(wav);
  } catch (e) {
    if (e instanceof AudioDecodeError && e.code === 'NO_AUDIO') {
      throw new AudioDecodeError(
        'NO_AUDIO',
        `The ${label(format)} file's audio track holds no samples.`,
        format,
      );
    }
    throw new AudioDecodeError(
      'CORRUPT',
      `The ${label(format)} file could not be decoded; it is probably damaged.`,
      format,
      { cause: e },
    );
  }
  if (header.encoding !== 'float' || header.bitsPerSample !== 32)
    throw new Error(`ffmpeg wrote ${header.encoding}/${header.bitsPerSample} instead of float32 WAV`);
  const { channels: n, frames, dataOffset } = header;
  const samples = new Float32Array(
    wav.buffer.slice(wav.byteOffset + dataOffset, wav.byteOffset + dataOffset + frames * n * 4),
  );
  const channels = Array.from({ length: n }, () => new Float32Array(frames));
  for (let c = 0; c < n; c++) {
    const out = channels[c] as Float32Array;
    for (let i = 0, k = c; i < frames; i++, k += n) out[i] = samples[k] as number;
  }
  return { sampleRate: header.sampleRate, channels };
}
