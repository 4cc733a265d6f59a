/** What Discord tells us of an attachment (the fields discord.js's Attachment carries). */
export interface AttachmentInfo {
  name: string;
  size: number;
  url: string;
  contentType: string | null;
  /** Voice messages only. */
  duration: number | null;
}

/** The API's upload limits (apps/api limits.ts), checked here first so the user hears at once. */
export const MAX_SOUND_BYTES = 10 * 1024 * 1024;
export const MAX_SOUND_SECONDS = 30;
export const MAX_IMAGE_BYTES = 8 * 1024 * 1024;

const SOUND_EXTENSIONS = /\.(wav|mp3|ogg|oga|opus|flac|webm|m4a|mp4|aac)$/i;
const IMAGE_EXTENSIONS = /\.(png|jpe?g)$/i;

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Why an attachment cannot be the edit's sound, or null when it can. */
export function soundProblem(a: AttachmentInfo): string | null {
  const type = a.contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  const looksAudio =
    type.startsWith('audio/') ||
    type === 'video/webm' ||
    type === 'video/mp4' ||
    (!type && SOUND_EXTENSIONS.test(a.name));
  if (!looksAudio)
    return `\`${a.name}\` is not a sound (${type || 'unknown type'}): attach a WAV, MP3, Ogg, FLAC, WebM or M4A file.`;
  if (a.size > MAX_SOUND_BYTES)
    return `\`${a.name}\` is ${mib(a.size)}; sounds may be at most ${mib(MAX_SOUND_BYTES)}.`;
  if (a.size === 0) return `\`${a.name}\` is empty.`;
  if (a.duration !== null && a.duration > MAX_SOUND_SECONDS)
    return `\`${a.name}\` lasts ${a.duration.toFixed(0)} s; sounds may be at most ${MAX_SOUND_SECONDS} s.`;
  return null;
}

/** Why an attachment cannot be the source picture, or null when it can. */
export function imageProblem(a: AttachmentInfo): string | null {
  const type = a.contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  const looksImage =
    type === 'image/png' || type === 'image/jpeg' || (!type && IMAGE_EXTENSIONS.test(a.name));
  if (!looksImage) return `\`${a.name}\` is not a PNG or JPEG picture (${type || 'unknown type'}).`;
  if (a.size > MAX_IMAGE_BYTES)
    return `\`${a.name}\` is ${mib(a.size)}; pictures may be at most ${mib(MAX_IMAGE_BYTES)}.`;
  return null;
}

/** Downloads an attachment, refusing to read past `maxBytes` whatever the server claims. */
export async function download(url: string, maxBytes: number, signal?: AbortSignal): Promise<Uint8Array> {
  const response = await fetch(url, signal ? { signal } : {});
  if (!response.ok || !response.body)
    throw new Error(`the attachment could not be fetched (${response.status})`);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > maxBytes) throw new Error(`the attachment is larger than ${mib(maxBytes)}`);
    chunks.push(chunk);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
