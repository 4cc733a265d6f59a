import { getAccount, getEdit, getSound, queuePosition, tables } from '@soundedit/service';
import { and, eq } from 'drizzle-orm';
import { parametersOf } from '../edits/edit-input.ts';
import { editPage } from '../edits/edit-pages.ts';
import type { EditResolvers } from '../schema/resolver-types.ts';
import { blobUrl } from './urls.ts';

export const Edit: EditResolvers = {
  parameters: (e) => parametersOf(e.params),
  sound: (e, _, ctx) => (e.soundId ? getSound(ctx.db, e.soundId) : null),
  author: async (e, _, ctx) => (await getAccount(ctx.db, e.authorId))!,
  parent: (e, _, ctx) => (e.parentId ? getEdit(ctx.db, e.parentId) : null),
  remixes: (e, args, ctx) =>
    editPage(
      ctx.db,
      {
        first: args.first ?? 24,
        after: args.after,
        order: 'NEWEST',
        where: [eq(tables.edits.parentId, e.id)],
      },
      ctx.limits.maxPageSize,
    ),
  likedByViewer: async (e, _, ctx) => {
    if (!ctx.viewer) return false;
    const rows = await ctx.db
      .select({ editId: tables.likes.editId })
      .from(tables.likes)
      .where(and(eq(tables.likes.editId, e.id), eq(tables.likes.accountId, ctx.viewer.id)));
    return rows.length > 0;
  },
  queuePosition: async (e, _, ctx) => (await queuePosition(ctx.db, e)) ?? null,
  sourceUrl: (e, _, ctx) => blobUrl(ctx.publicUrl, e.sourceKey),
  resultUrl: (e, _, ctx) => blobUrl(ctx.publicUrl, e.resultKey),
  sideBySideUrl: (e, _, ctx) => blobUrl(ctx.publicUrl, e.sideBySideKey),
  trajectoryUrl: (e, _, ctx) => blobUrl(ctx.publicUrl, e.trajectoryKey),
  recordUrl: (e, _, ctx) => blobUrl(ctx.publicUrl, e.recordKey),
};
