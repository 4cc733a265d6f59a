import {
  createApiToken,
  getEdit,
  insertEdit,
  requestCancel,
  revokeApiToken,
  tables,
  editChannel,
  type AccountRow,
} from '@soundedit/service';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { ApiContext } from '../context.ts';
import { requireViewer } from '../auth/identify.ts';
import { resolveEditInput } from '../edits/edit-input.ts';
import { uploadSound } from '../edits/sound-upload.ts';
import { apiError, notFound } from '../errors.ts';
import type { CreateEditInput, MutationResolvers } from '../schema/resolver-types.ts';

const { edits, likes } = tables;

/** Spends one of the viewer's rate-limit tokens, or refuses with when to retry. */
export function spend(ctx: ApiContext, viewer: AccountRow): void {
  const r = ctx.rateLimiter.take(viewer.id);
  if (!r.ok)
    throw apiError('RATE_LIMITED', `too many requests; try again in ${r.retryAfterS} s`, {
      retryAfterS: r.retryAfterS,
    });
}

async function submit(ctx: ApiContext, viewer: AccountRow, input: CreateEditInput, sharedSoundId?: string) {
  spend(ctx, viewer);
  const [active] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(edits)
    .where(and(eq(edits.authorId, viewer.id), inArray(edits.status, ['QUEUED', 'RUNNING'])));
  if ((active?.n ?? 0) >= ctx.limits.maxActiveEdits)
    throw apiError(
      'RATE_LIMITED',
      `you have ${active!.n} edits queued or running; at most ${ctx.limits.maxActiveEdits} at once`,
      { reason: 'ACTIVE_EDITS' },
    );
  const resolved = await resolveEditInput(ctx, viewer, input, sharedSoundId);
  const row = await insertEdit(ctx.db, {
    authorId: viewer.id,
    pack: resolved.pack.pack.manifest.name,
    params: resolved.params,
    totalSteps: resolved.totalSteps,
    ...(resolved.parentId ? { parentId: resolved.parentId } : {}),
  });
  // Stored is accepted: a dispatch that fails (Redis away) is made good by the dispatcher's sweep.
  await ctx
    .dispatch(row.id)
    .catch((e: unknown) => console.error(`dispatch of edit ${row.id} failed: ${(e as Error).message}`));
  return row;
}

async function ownEdit(ctx: ApiContext, viewer: AccountRow, id: string) {
  const edit = await getEdit(ctx.db, id);
  if (!edit) throw notFound('edit', id);
  if (edit.authorId !== viewer.id) throw apiError('FORBIDDEN', `edit ${id} belongs to someone else`);
  return edit;
}

export const Mutation: MutationResolvers = {
  uploadSound: async (_, { base64 }, ctx) => {
    const viewer = requireViewer(ctx.viewer);
    spend(ctx, viewer);
    // Base64 is 4/3 of the bytes: refuse by length before allocating the decoded copy.
    if (base64.length > Math.ceil((ctx.limits.sound.maxBytes * 4) / 3) + 4)
      throw apiError('PAYLOAD_TOO_LARGE', `the clip is larger than ${ctx.limits.sound.maxBytes} bytes`);
    return uploadSound(ctx, viewer.id, new Uint8Array(Buffer.from(base64, 'base64')));
  },
  createEdit: (_, { input }, ctx) => submit(ctx, requireViewer(ctx.viewer), input),
  remixEdit: async (_, { id, overrides }, ctx) => {
    const viewer = requireViewer(ctx.viewer);
    const parent = await getEdit(ctx.db, id);
    if (!parent) throw notFound('edit', id);
    const p = parent.params;
    const o = overrides ?? {};
    const input: CreateEditInput = {
      pack: parent.pack,
      // A remix keeps the published edit's sound unless it brings its own.
      soundId: o.soundId ?? parent.soundId,
      prompt: o.prompt !== undefined ? o.prompt : (p.text ?? null),
      mix: o.mix ?? (p.combine === 'layers' ? 'LAYERS' : p.combine === 'blend' ? 'BLEND' : null),
      textWeight: o.textWeight ?? p.textWeight ?? null,
      audioLayers: o.audioLayers ?? p.audioLayers ?? null,
      source: o.source ?? { editId: parent.id },
      settings: o.settings ?? null,
    };
    if (parent.status !== 'SUCCEEDED' && parent.authorId !== viewer.id) throw notFound('edit', id);
    return submit(ctx, viewer, input, parent.soundId ?? undefined);
  },
  cancelEdit: async (_, { id }, ctx) => {
    const viewer = requireViewer(ctx.viewer);
    await ownEdit(ctx, viewer, id);
    const row = await requestCancel(ctx.db, id);
    await ctx.bus.publish(editChannel(id), { type: 'cancel' });
    if (row?.status === 'CANCELED')
      await ctx.bus.publish(editChannel(id), { type: 'finished', status: 'CANCELED' });
    return row!;
  },
  deleteEdit: async (_, { id }, ctx) => {
    const viewer = requireViewer(ctx.viewer);
    const edit = await ownEdit(ctx, viewer, id);
    if (edit.status === 'QUEUED' || edit.status === 'RUNNING') {
      await requestCancel(ctx.db, id);
      await ctx.bus.publish(editChannel(id), { type: 'cancel' });
    }
    await ctx.db.transaction(async (tx) => {
      await tx.delete(edits).where(eq(edits.id, id));
      if (edit.parentId)
        await tx
          .update(edits)
          .set({ remixCount: sql`greatest(${edits.remixCount} - 1, 0)` })
          .where(eq(edits.id, edit.parentId));
    });
    return id;
  },
  likeEdit: async (_, { id }, ctx) => {
    const viewer = requireViewer(ctx.viewer);
    const edit = await getEdit(ctx.db, id);
    if (!edit) throw notFound('edit', id);
    await ctx.db.transaction(async (tx) => {
      const added = await tx
        .insert(likes)
        .values({ accountId: viewer.id, editId: id })
        .onConflictDoNothing()
        .returning({ editId: likes.editId });
      if (added.length)
        await tx
          .update(edits)
          .set({ likeCount: sql`${edits.likeCount} + 1` })
          .where(eq(edits.id, id));
    });
    return (await getEdit(ctx.db, id))!;
  },
  unlikeEdit: async (_, { id }, ctx) => {
    const viewer = requireViewer(ctx.viewer);
    const edit = await getEdit(ctx.db, id);
    if (!edit) throw notFound('edit', id);
    await ctx.db.transaction(async (tx) => {
      const removed = await tx
        .delete(likes)
        .where(and(eq(likes.accountId, viewer.id), eq(likes.editId, id)))
        .returning({ editId: likes.editId });
      if (removed.length)
        await tx
          .update(edits)
          .set({ likeCount: sql`greatest(${edits.likeCount} - 1, 0)` })
          .where(eq(edits.id, id));
    });
    return (await getEdit(ctx.db, id))!;
  },
  createApiToken: async (_, { name }, ctx) => {
    const viewer = requireViewer(ctx.viewer);
    const trimmed = name.trim();
    if (!trimmed || trimmed.length > 100)
      throw apiError('BAD_USER_INPUT', 'a token name has 1 to 100 characters', { field: 'name' });
    return createApiToken(ctx.db, viewer.id, trimmed);
  },
  revokeApiToken: async (_, { id }, ctx) => {
    const viewer = requireViewer(ctx.viewer);
    if (!(await revokeApiToken(ctx.db, viewer.id, id))) throw notFound('live API token', id);
    return true;
  },
};
