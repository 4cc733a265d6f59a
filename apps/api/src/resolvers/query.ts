import { getEdit, getSound, tables } from '@soundedit/service';
import { eq } from 'drizzle-orm';
import { editPage, finishedOnly, promptContains } from '../edits/edit-pages.ts';
import { apiError, notFound } from '../errors.ts';
import type { QueryResolvers } from '../schema/resolver-types.ts';

const { edits } = tables;

export const Query: QueryResolvers = {
  edit: async (_, { id }, ctx) => (await getEdit(ctx.db, id)) ?? null,
  edits: (_, { first, after, filter, orderBy }, ctx) =>
    editPage(
      ctx.db,
      {
        first: first ?? 24,
        after,
        order: orderBy ?? 'NEWEST',
        where: [
          finishedOnly(),
          filter?.pack ? eq(edits.pack, filter.pack) : undefined,
          filter?.soundClass ? eq(edits.soundClass, filter.soundClass) : undefined,
          filter?.authorId ? eq(edits.authorId, filter.authorId) : undefined,
          filter?.remixOf ? eq(edits.parentId, filter.remixOf) : undefined,
          filter?.promptContains ? promptContains(filter.promptContains) : undefined,
        ],
      },
      ctx.limits.maxPageSize,
    ),
  sound: async (_, { id }, ctx) => (await getSound(ctx.db, id)) ?? null,
  packs: (_, __, ctx) => ctx.packs.entries.map((e) => e.pack),
  pack: (_, { name }, ctx) => ctx.packs.get(name)?.pack ?? null,
  viewer: (_, __, ctx) => ctx.viewer ?? null,
  sourcePreview: async (_, { pack, seed, truncation }, ctx) => {
    const entry = pack ? ctx.packs.get(pack) : ctx.packs.first;
    if (!entry) throw notFound('pack', pack ?? '(default)');
    if (!Number.isInteger(seed) || seed < 0)
      throw apiError('BAD_USER_INPUT', `seed must be a non-negative integer, got ${seed}`, { field: 'seed' });
    const psi = truncation ?? entry.pack.manifest.defaults.truncation;
    if (!Number.isFinite(psi) || psi <= 0 || psi > 1)
      throw apiError('BAD_USER_INPUT', `truncation must be a number in (0, 1], got ${psi}`, {
        field: 'truncation',
      });
    const png = await ctx.packs.preview(entry, seed, psi);
    return `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
  },
};
