import { randomInt } from 'node:crypto';
import { decodeImage, type EditSettings } from '@soundedit/core';
import { getEdit, getSound, type AccountRow, type EditParams, type StoredSource } from '@soundedit/service';
import type { ApiContext } from '../context.ts';
import { apiError, notFound } from '../errors.ts';
import type { CatalogPack } from '../packs/pack-catalog.ts';
import type {
  CreateEditInput,
  EditSpace,
  MaskMode,
  MixMode,
  SettingsInput,
  SourceInput,
} from '../schema/resolver-types.ts';

export interface ResolvedEdit {
  pack: CatalogPack;
  params: EditParams;
  totalSteps: number;
}

const MASKS: Record<MaskMode, EditSettings['mask']> = { ADAPTIVE: 'adaptive', L2: 'l2', OFF: 'off' };
const SPACES: Record<EditSpace, EditSettings['space']> = { W_PLUS: 'w+', W: 'w' };
const MIXES: Record<MixMode, 'blend' | 'layers'> = { BLEND: 'blend', LAYERS: 'layers' };
const MAX_PROMPT = 300;

const bad = (field: string, message: string) => apiError('BAD_USER_INPUT', message, { field });

function finiteIn(
  field: string,
  v: number | null | undefined,
  lo: number,
  hi: number,
  loOpen = false,
): number | undefined {
  if (v === null || v === undefined) return undefined;
  if (!Number.isFinite(v) || v > hi || (loOpen ? v <= lo : v < lo))
    throw bad(field, `${field} must be a number in ${loOpen ? '(' : '['}${lo}, ${hi}], got ${v}`);
  return v;
}

function settingsOf(s: SettingsInput | null | undefined, maxSteps: number): EditParams['settings'] {
  if (!s) return {};
  const out: EditParams['settings'] = {};
  if (s.steps !== null && s.steps !== undefined) {
    if (!Number.isInteger(s.steps) || s.steps < 1 || s.steps > maxSteps)
      throw bad('settings.steps', `settings.steps must be an integer from 1 to ${maxSteps}, got ${s.steps}`);
    out.steps = s.steps;
  }
  const lr = finiteIn('settings.lr', s.lr, 0, 1, true);
  if (lr !== undefined) out.lr = lr;
  const lambdaSim = finiteIn('settings.lambdaSim', s.lambdaSim, 0, 10);
  if (lambdaSim !== undefined) out.lambdaSim = lambdaSim;
  const lambdaId = finiteIn('settings.lambdaId', s.lambdaId, 0, 10);
  if (lambdaId !== undefined) out.lambdaId = lambdaId;
  const strength = finiteIn('settings.strength', s.strength, 0, 10);
  if (strength !== undefined) out.guidance = strength;
  if (s.mask) out.mask = MASKS[s.mask];
  if (s.space) out.space = SPACES[s.space];
  return out;
}

async function sourceOf(
  ctx: ApiContext,
  s: SourceInput | null | undefined,
  pack: CatalogPack,
): Promise<{ source: StoredSource; parentId?: string }> {
  const given = [s?.seed, s?.imageBase64, s?.editId].filter((v) => v !== null && v !== undefined).length;
  if (given > 1) throw bad('source', 'give one source: seed, imageBase64 or editId');
  const truncation = finiteIn('source.truncation', s?.truncation, 0, 1, true);
  if (s?.editId) {
    const parent = await getEdit(ctx.db, s.editId);
    if (!parent) throw notFound('edit', s.editId);
    if (parent.status !== 'SUCCEEDED' || !parent.latentKey)
      throw bad(
        'source.editId',
        `edit ${s.editId} has not finished successfully: there is no result to start from`,
      );
    if (parent.pack !== pack.pack.manifest.name)
      throw bad(
        'source.editId',
        `edit ${s.editId} was made with pack ${parent.pack}, not ${pack.pack.manifest.name}`,
      );
    return { source: { kind: 'edit', editId: parent.id }, parentId: parent.id };
  }
  if (s?.imageBase64) {
    const bytes = Buffer.from(s.imageBase64, 'base64');
    if (bytes.length > ctx.limits.maxImageBytes)
      throw apiError(
        'PAYLOAD_TOO_LARGE',
        `the picture is ${bytes.length} bytes; at most ${ctx.limits.maxImageBytes}`,
        {
          field: 'source.imageBase64',
        },
      );
    let extension: string;
    try {
      const image = decodeImage(new Uint8Array(bytes), { maxBytes: ctx.limits.maxImageBytes });
      extension = bytes[0] === 0x89 ? 'png' : 'jpg';
      if (image.width < 8 || image.height < 8) throw new Error(`it is only ${image.width}x${image.height}`);
    } catch (e) {
      throw apiError('UNSUPPORTED_MEDIA_TYPE', `the picture cannot be used: ${(e as Error).message}`, {
        field: 'source.imageBase64',
      });
    }
    return { source: { kind: 'image', imageKey: await ctx.blobs.put(new Uint8Array(bytes), extension) } };
  }
  if (s?.seed !== null && s?.seed !== undefined) {
    if (!Number.isInteger(s.seed) || s.seed < 0)
      throw bad('source.seed', `source.seed must be a non-negative integer, got ${s.seed}`);
    return { source: { kind: 'seed', seed: s.seed, ...(truncation !== undefined ? { truncation } : {}) } };
  }
  return {
    source: {
      kind: 'seed',
      seed: randomInt(0, 2 ** 31 - 1),
      ...(truncation !== undefined ? { truncation } : {}),
    },
  };
}

/** Checks every field of a create (or remix) request and turns it into stored parameters. */
export async function resolveEditInput(
  ctx: ApiContext,
  viewer: AccountRow,
  input: CreateEditInput,
  /** A sound of someone else's that this request may use: the one of the public edit being remixed. */
  sharedSoundId?: string,
): Promise<ResolvedEdit & { parentId?: string }> {
  const pack = input.pack ? ctx.packs.get(input.pack) : ctx.packs.first;
  if (!pack)
    throw bad('pack', input.pack ? `there is no pack named '${input.pack}'` : 'this server has no packs');
  const prompt = input.prompt?.trim();
  if (input.prompt !== null && input.prompt !== undefined && !prompt)
    throw bad('prompt', 'the prompt is blank');
  if (prompt && prompt.length > MAX_PROMPT)
    throw bad('prompt', `the prompt has ${prompt.length} characters; at most ${MAX_PROMPT}`);
  if (input.soundId) {
    const sound = await getSound(ctx.db, input.soundId);
    if (!sound) throw notFound('sound', input.soundId);
    if (sound.ownerId !== viewer.id && sound.id !== sharedSoundId)
      throw apiError('FORBIDDEN', `sound ${input.soundId} belongs to someone else`);
  }
  if (!input.soundId && !prompt) throw bad('soundId', 'an edit needs a sound, a prompt, or both');
  const textWeight = finiteIn('textWeight', input.textWeight, 0, 1);
  let audioLayers: [number, number] | undefined;
  if (input.audioLayers) {
    const [a, b] = input.audioLayers;
    const L = pack.styleLayers;
    if (input.audioLayers.length !== 2 || !(a! >= 0 && a! <= b! && b! < L))
      throw bad('audioLayers', `audioLayers must be [first, last] with 0 <= first <= last < ${L}`);
    audioLayers = [a!, b!];
  }
  const { source, parentId } = await sourceOf(ctx, input.source, pack);
  const settings = settingsOf(input.settings, ctx.limits.maxSteps);
  const params: EditParams = {
    source,
    ...(input.soundId ? { soundId: input.soundId } : {}),
    ...(prompt ? { text: prompt } : {}),
    ...(input.mix ? { combine: MIXES[input.mix] } : {}),
    ...(textWeight !== undefined ? { textWeight } : {}),
    ...(audioLayers ? { audioLayers } : {}),
    ...(input.settings?.loudnessGain ? { loudnessGain: true } : {}),
    settings,
  };
  return {
    pack,
    params,
    totalSteps: settings.steps ?? pack.pack.manifest.defaults.steps,
    ...(parentId ? { parentId } : {}),
  };
}

/** The GraphQL view of stored parameters. */
export function parametersOf(p: EditParams) {
  const s = p.settings;
  const mask = (Object.keys(MASKS) as MaskMode[]).find((k) => MASKS[k] === s.mask);
  const space = (Object.keys(SPACES) as EditSpace[]).find((k) => SPACES[k] === s.space);
  const mix = (Object.keys(MIXES) as MixMode[]).find((k) => MIXES[k] === p.combine);
  return {
    seed: p.source.kind === 'seed' ? p.source.seed : null,
    truncation: p.source.kind === 'seed' ? (p.source.truncation ?? null) : null,
    sourceEditId: p.source.kind === 'edit' ? p.source.editId : null,
    prompt: p.text ?? null,
    mix: mix ?? null,
    textWeight: p.textWeight ?? null,
    audioLayers: p.audioLayers ?? null,
    steps: s.steps ?? null,
    lr: s.lr ?? null,
    lambdaSim: s.lambdaSim ?? null,
    lambdaId: s.lambdaId ?? null,
    mask: mask ?? null,
    space: space ?? null,
    strength: s.guidance ?? null,
    loudnessGain: p.loudnessGain ?? false,
  };
}
