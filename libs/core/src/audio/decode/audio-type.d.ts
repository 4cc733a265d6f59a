// audio-type ships no types; only its default export is used (to name formats we do not decode).
declare module 'audio-type' {
  export default function audioType(bytes: Uint8Array): string | undefined;
}
