'use client';
import { CreateEditDocument, RemixEditDocument, type CreateEditInput } from '@soundedit/graphql';
import { useRouter } from 'next/navigation';
import { useId, useRef, useState, type FormEvent } from 'react';
import { browserClient } from '../lib/browser-client.ts';
import { errorText } from '../lib/error-text.ts';
import { ensureSession } from '../lib/session.ts';
import type { EditDetail, PackInfo } from '../lib/types.ts';
import { SoundPicker, type PickedSound } from './sound-picker.tsx';
import { SourcePreview } from './source-preview.tsx';

const field =
  'max-w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900';

/** Create (or remix): a sound, a pack, a source, optional text and its mixing, advanced settings. */
export function CreateForm({ packs, remix }: { packs: PackInfo[]; remix: EditDetail | null }) {
  const router = useRouter();
  const ids = {
    prompt: useId(),
    seed: useId(),
    steps: useId(),
    lambdaSim: useId(),
    lambdaId: useId(),
    strength: useId(),
  };
  const [sound, setSound] = useState<PickedSound | null>(null);
  const [packName, setPackName] = useState(remix?.pack ?? packs[0]!.name);
  const pack = packs.find((p) => p.name === packName) ?? packs[0]!;
  const [sourceKind, setSourceKind] = useState<'seed' | 'photo' | 'edit'>(remix ? 'edit' : 'seed');
  const [seed, setSeed] = useState(() => remix?.parameters.seed ?? Math.floor(Math.random() * 100_000));
  const [photo, setPhoto] = useState<File | null>(null);
  const [prompt, setPrompt] = useState(remix?.parameters.prompt ?? '');
  const [mix, setMix] = useState<'LAYERS' | 'BLEND'>(remix?.parameters.mix ?? 'LAYERS');
  const half = Math.max(1, Math.floor(pack.styleLayers / 2));
  const [audioTo, setAudioTo] = useState(remix?.parameters.audioLayers?.[1] ?? half - 1);
  const [textWeight, setTextWeight] = useState(remix?.parameters.textWeight ?? 0.5);
  const [steps, setSteps] = useState(String(remix?.parameters.steps ?? pack.defaults.steps));
  const [lambdaSim, setLambdaSim] = useState(String(remix?.parameters.lambdaSim ?? pack.defaults.lambdaSim));
  const [lambdaId, setLambdaId] = useState(String(remix?.parameters.lambdaId ?? pack.defaults.lambdaId));
  const [mask, setMask] = useState<'ADAPTIVE' | 'L2' | 'OFF'>(remix?.parameters.mask ?? 'ADAPTIVE');
  const [strength, setStrength] = useState(String(remix?.parameters.strength ?? 1));
  const [loudnessGain, setLoudnessGain] = useState(remix?.parameters.loudnessGain ?? false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const errorRef = useRef<HTMLParagraphElement>(null);

  const fail = (message: string) => {
    setError(message);
    setBusy(null);
    requestAnimationFrame(() => errorRef.current?.focus());
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (!sound && !remix) return fail('Choose or record a sound first.');
    if (sound?.problem) return fail(sound.problem);
    if (sourceKind === 'photo' && !photo) return fail('Choose a photo, or use a random picture.');
    const numbers = {
      steps: Number(steps),
      lambdaSim: Number(lambdaSim),
      lambdaId: Number(lambdaId),
      strength: Number(strength),
    };
    for (const [name, value] of Object.entries(numbers)) {
      if (!Number.isFinite(value)) return fail(`${name} must be a number.`);
    }
    try {
      setBusy('Starting a session…');
      await ensureSession();
      const client = browserClient();
      let soundId: string | undefined;
      if (sound) {
        setBusy('Uploading the sound…');
        soundId = (await client.uploadSound(sound.blob, sound.blob.type || 'application/octet-stream')).id;
      }
      const source: CreateEditInput['source'] =
        sourceKind === 'photo' && photo
          ? { imageBase64: await toBase64(photo) }
          : sourceKind === 'edit' && remix
            ? { editId: remix.id }
            : { seed };
      const text = prompt.trim();
      const input = {
        ...(soundId ? { soundId } : {}),
        ...(text
          ? { prompt: text, mix, ...(mix === 'LAYERS' ? { audioLayers: [0, audioTo] } : { textWeight }) }
          : {}),
        source,
        settings: {
          steps: numbers.steps,
          lambdaSim: numbers.lambdaSim,
          lambdaId: numbers.lambdaId,
          mask,
          strength: numbers.strength,
          ...(loudnessGain ? { loudnessGain } : {}),
        },
      };
      setBusy('Queueing the edit…');
      const id = remix
        ? (await client.request(RemixEditDocument, { id: remix.id, overrides: input })).remixEdit.id
        : (await client.request(CreateEditDocument, { input: { pack: pack.name, ...input } })).createEdit.id;
      router.push(`/e/${id}`);
    } catch (e) {
      fail(errorText(e));
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} className="max-w-2xl space-y-6" noValidate>
      <fieldset className="space-y-2">
        <legend className="text-lg font-semibold">1. The sound</legend>
        {remix && !sound ? (
          <p className="text-sm text-zinc-700 dark:text-zinc-300">
            The remix keeps the original sound ({remix.soundClass?.replaceAll('_', ' ') ?? 'a sound'}) unless
            you choose another.
          </p>
        ) : null}
        <SoundPicker onChange={setSound} />
      </fieldset>

      <fieldset className="space-y-2">
        <legend className="text-lg font-semibold">2. The picture</legend>
        <label className="flex flex-col gap-1 text-sm">
          Pack
          <select
            value={packName}
            onChange={(e) => setPackName(e.target.value)}
            className={field}
            disabled={Boolean(remix)}
          >
            {packs.map((p) => (
              <option key={p.name} value={p.name}>
                {p.title}
              </option>
            ))}
          </select>
        </label>
        <div role="radiogroup" aria-label="Source picture" className="flex flex-wrap gap-4 text-sm">
          {remix ? (
            <label className="flex items-center gap-1">
              <input
                type="radio"
                name="source"
                checked={sourceKind === 'edit'}
                onChange={() => setSourceKind('edit')}
              />
              The edit&apos;s result
            </label>
          ) : null}
          <label className="flex items-center gap-1">
            <input
              type="radio"
              name="source"
              checked={sourceKind === 'seed'}
              onChange={() => setSourceKind('seed')}
            />
            A random picture
          </label>
          <label className="flex items-center gap-1">
            <input
              type="radio"
              name="source"
              checked={sourceKind === 'photo'}
              onChange={() => setSourceKind('photo')}
            />
            My photo
          </label>
        </div>
        {sourceKind === 'seed' ? (
          <div className="flex flex-wrap items-end gap-4">
            <SourcePreview pack={pack.name} seed={seed} />
            <div className="flex items-end gap-2">
              <label htmlFor={ids.seed} className="flex flex-col gap-1 text-sm">
                Seed
                <input
                  id={ids.seed}
                  type="number"
                  min={0}
                  value={seed}
                  onChange={(e) => setSeed(Math.max(0, Math.floor(Number(e.target.value) || 0)))}
                  className={field}
                />
              </label>
              <button
                type="button"
                onClick={() => setSeed(Math.floor(Math.random() * 100_000))}
                className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-900"
              >
                Re-roll
              </button>
            </div>
          </div>
        ) : null}
        {sourceKind === 'photo' ? (
          <label className="flex flex-col gap-1 text-sm">
            Photo (PNG or JPEG; it is inverted into the generator first)
            <input
              type="file"
              accept="image/png,image/jpeg"
              onChange={(e) => setPhoto(e.target.files?.[0] ?? null)}
            />
          </label>
        ) : null}
      </fieldset>

      <fieldset className="space-y-2">
        <legend className="text-lg font-semibold">3. Text (optional)</legend>
        <label htmlFor={ids.prompt} className="flex flex-col gap-1 text-sm">
          Prompt, mixed with the sound
          <input
            id={ids.prompt}
            type="text"
            value={prompt}
            onChange={(e) => setPrompt(e.target.value)}
            className={field}
            maxLength={200}
          />
        </label>
        {prompt.trim() ? (
          <div className="space-y-2 text-sm">
            <div role="radiogroup" aria-label="How the text mixes" className="flex gap-4">
              <label className="flex items-center gap-1">
                <input type="radio" name="mix" checked={mix === 'LAYERS'} onChange={() => setMix('LAYERS')} />
                By layers
              </label>
              <label className="flex items-center gap-1">
                <input type="radio" name="mix" checked={mix === 'BLEND'} onChange={() => setMix('BLEND')} />
                Blend
              </label>
            </div>
            {mix === 'LAYERS' ? (
              <label className="flex flex-col gap-1">
                Sound drives layers 1–{audioTo + 1} of {pack.styleLayers}; the text drives the rest
                <input
                  type="range"
                  min={0}
                  max={pack.styleLayers - 2}
                  value={audioTo}
                  onChange={(e) => setAudioTo(Number(e.target.value))}
                  className="accent-violet-600"
                />
              </label>
            ) : (
              <label className="flex flex-col gap-1">
                Text weight {textWeight.toFixed(2)}
                <input
                  type="range"
                  min={0}
                  max={1}
                  step={0.05}
                  value={textWeight}
                  onChange={(e) => setTextWeight(Number(e.target.value))}
                  className="accent-violet-600"
                />
              </label>
            )}
          </div>
        ) : null}
      </fieldset>

      <details className="rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
        <summary className="cursor-pointer text-sm font-medium">Advanced</summary>
        <div className="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-3">
          <NumberField
            id={ids.steps}
            label="Steps"
            value={steps}
            onChange={setSteps}
            min={1}
            max={1000}
            step={1}
          />
          <NumberField
            id={ids.lambdaSim}
            label="λ sim"
            value={lambdaSim}
            onChange={setLambdaSim}
            min={0}
            step={0.001}
          />
          <NumberField
            id={ids.lambdaId}
            label="λ ID"
            value={lambdaId}
            onChange={setLambdaId}
            min={0}
            step={0.001}
          />
          <NumberField
            id={ids.strength}
            label="Strength"
            value={strength}
            onChange={setStrength}
            min={0}
            max={4}
            step={0.1}
          />
          <label className="flex flex-col gap-1 text-sm">
            Layer mask
            <select value={mask} onChange={(e) => setMask(e.target.value as typeof mask)} className={field}>
              <option value="ADAPTIVE">Adaptive</option>
              <option value="L2">Plain L2</option>
              <option value="OFF">Off</option>
            </select>
          </label>
          <label className="col-span-2 flex items-center gap-2 text-sm sm:col-span-3">
            <input
              type="checkbox"
              checked={loudnessGain}
              onChange={(e) => setLoudnessGain(e.target.checked)}
            />
            A louder sound pulls harder (strength × 0.5–2 by the sound&apos;s level)
          </label>
        </div>
      </details>

      {error ? (
        <p
          ref={errorRef}
          tabIndex={-1}
          role="alert"
          className="rounded-md border border-red-300 p-3 text-red-800 dark:border-red-800 dark:text-red-300"
        >
          {error}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={busy !== null}
        className="rounded-md bg-accent px-5 py-2 font-medium text-white hover:bg-accent-strong disabled:opacity-60 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent"
      >
        {busy ?? (remix ? 'Remix' : 'Edit with this sound')}
      </button>
    </form>
  );
}

function NumberField(props: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  min?: number;
  max?: number;
  step?: number;
}) {
  return (
    <label htmlFor={props.id} className="flex flex-col gap-1 text-sm">
      {props.label}
      <input
        id={props.id}
        type="number"
        inputMode="decimal"
        value={props.value}
        min={props.min}
        max={props.max}
        step={props.step}
        onChange={(e) => props.onChange(e.target.value)}
        className={field}
      />
    </label>
  );
}

async function toBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
