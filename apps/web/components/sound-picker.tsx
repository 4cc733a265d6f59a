'use client';
import { useEffect, useRef, useState } from 'react';
import { encodeWav16 } from '../lib/wav-encode.ts';

/** The API's limits (apps/api limits.ts): a longer clip is trimmed here first. */
const MAX_SECONDS = 30;
const MIN_SECONDS = 0.1;
const MAX_BYTES = 10 * 1024 * 1024;

export interface PickedSound {
  blob: Blob;
  name: string;
  /** Why it cannot be sent as it is, if so. */
  problem?: string;
}

/** A sound from a file (picked or dropped) or the microphone, heard back and trimmed to the allowed length. */
export function SoundPicker({ onChange }: { onChange: (sound: PickedSound | null) => void }) {
  const [original, setOriginal] = useState<{ blob: Blob; name: string } | null>(null);
  const [decoded, setDecoded] = useState<AudioBuffer | null>(null);
  const [range, setRange] = useState<[number, number]>([0, 0]);
  const [url, setUrl] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [recording, setRecording] = useState<MediaRecorder | null>(null);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const take = async (blob: Blob, name: string) => {
    setOriginal({ blob, name });
    setMessage(null);
    setDecoded(null);
    try {
      const context = new AudioContext();
      const buffer = await context.decodeAudioData(await blob.arrayBuffer());
      await context.close();
      setDecoded(buffer);
      setRange([0, Math.min(buffer.duration, MAX_SECONDS)]);
    } catch {
      // The browser cannot decode it; the API may (it reads more formats) and says so if not.
      setDecoded(null);
      const problem =
        blob.size > MAX_BYTES ? `That file is larger than ${MAX_BYTES / 1024 / 1024} MB.` : undefined;
      setMessage(problem ?? 'This browser cannot play that file; the server will check it.');
      onChange({ blob, name, ...(problem ? { problem } : {}) });
    }
  };

  // The selection, as the blob to send: the original when untouched, else a WAV of the selection.
  useEffect(() => {
    if (!decoded || !original) return;
    const [from, to] = range;
    const whole = from <= 0 && to >= decoded.duration - 1e-3;
    let blob = original.blob;
    if (!whole) {
      const a = Math.floor(from * decoded.sampleRate);
      const b = Math.floor(to * decoded.sampleRate);
      const channels = Array.from({ length: Math.min(2, decoded.numberOfChannels) }, (_, c) =>
        decoded.getChannelData(c).slice(a, b),
      );
      blob = encodeWav16(channels, decoded.sampleRate);
    }
    const length = to - from;
    const problem =
      length > MAX_SECONDS + 1e-3
        ? `Trim the sound to ${MAX_SECONDS} s or less (now ${length.toFixed(1)} s).`
        : length < MIN_SECONDS
          ? 'The selection is too short.'
          : blob.size > MAX_BYTES
            ? `The sound is larger than ${MAX_BYTES / 1024 / 1024} MB.`
            : undefined;
    setMessage(problem ?? null);
    onChange({ blob, name: original.name, ...(problem ? { problem } : {}) });
    const next = URL.createObjectURL(blob);
    setUrl(next);
    return () => URL.revokeObjectURL(next);
  }, [decoded, original, range, onChange]);

  const record = async () => {
    if (recording) {
      recording.stop();
      return;
    }
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const recorder = new MediaRecorder(stream);
      const chunks: Blob[] = [];
      recorder.ondataavailable = (e) => chunks.push(e.data);
      recorder.onstop = () => {
        stream.getTracks().forEach((t) => t.stop());
        setRecording(null);
        void take(new Blob(chunks, { type: recorder.mimeType || 'audio/webm' }), 'recording');
      };
      recorder.start();
      setRecording(recorder);
      setTimeout(() => recorder.state === 'recording' && recorder.stop(), MAX_SECONDS * 1000);
    } catch {
      setMessage('The microphone is not available (permission refused or no device).');
    }
  };

  return (
    <div className="space-y-3">
      <div
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          const file = e.dataTransfer.files[0];
          if (file) void take(file, file.name);
        }}
        className={`flex flex-wrap items-center gap-3 rounded-lg border-2 border-dashed p-4 text-sm ${
          dragging ? 'border-accent bg-violet-50 dark:bg-violet-950' : 'border-zinc-300 dark:border-zinc-700'
        }`}
      >
        <label className="flex flex-col gap-1">
          <span>
            Drop a sound file here, or choose one (WAV, MP3, Ogg, FLAC, WebM, M4A; up to {MAX_SECONDS} s)
          </span>
          <input
            ref={input}
            type="file"
            accept="audio/*,.wav,.mp3,.ogg,.flac,.webm,.m4a"
            data-testid="sound-file"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void take(file, file.name);
            }}
          />
        </label>
        <button
          type="button"
          onClick={() => void record()}
          aria-pressed={Boolean(recording)}
          className="rounded-md border border-zinc-300 px-3 py-1.5 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-900"
        >
          {recording ? '■ Stop recording' : '● Record'}
        </button>
      </div>
      {url ? (
        <audio controls src={url} className="w-full" data-testid="sound-preview">
          Your browser cannot play the sound back.
        </audio>
      ) : null}
      {decoded ? (
        <div className="grid gap-2 text-sm sm:grid-cols-2">
          <label className="flex flex-col gap-1">
            Start at {range[0].toFixed(1)} s
            <input
              type="range"
              min={0}
              max={decoded.duration}
              step={0.1}
              value={range[0]}
              onChange={(e) => setRange(([, to]) => [Math.min(Number(e.target.value), to - MIN_SECONDS), to])}
              className="accent-violet-600"
            />
          </label>
          <label className="flex flex-col gap-1">
            End at {range[1].toFixed(1)} s (of {decoded.duration.toFixed(1)} s)
            <input
              type="range"
              min={0}
              max={decoded.duration}
              step={0.1}
              value={range[1]}
              onChange={(e) =>
                setRange(([from]) => [from, Math.max(Number(e.target.value), from + MIN_SECONDS)])
              }
              className="accent-violet-600"
            />
          </label>
        </div>
      ) : null}
      {message ? (
        <p role="status" className="text-sm text-amber-800 dark:text-amber-300">
          {message}
        </p>
      ) : null}
    </div>
  );
}
