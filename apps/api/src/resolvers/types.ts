import type {
  ApiTokenResolvers,
  AuthorResolvers,
  PackResolvers,
  SoundResolvers,
  ViewerResolvers,
} from '../schema/resolver-types.ts';
import { editPage } from '../edits/edit-pages.ts';
import { listApiTokens, tables } from '@soundedit/service';
import { eq } from 'drizzle-orm';
import { blobUrl } from './urls.ts';

export const Sound: SoundResolvers = {
  url: (s, _, ctx) => blobUrl(ctx.publicUrl, s.blobKey)!,
  spectrogramUrl: (s, _, ctx) => blobUrl(ctx.publicUrl, s.spectrogramKey)!,
};

export const Author: AuthorResolvers = {
  name: (a) => a.displayName,
};

export const Viewer: ViewerResolvers = {
  name: (a) => a.displayName,
  edits: (a, args, ctx) =>
    editPage(
      ctx.db,
      {
        first: args.first ?? 24,
        after: args.after,
        order: 'NEWEST',
        where: [eq(tables.edits.authorId, a.id)],
      },
      ctx.limits.maxPageSize,
    ),
  apiTokens: (a, _, ctx) => listApiTokens(ctx.db, a.id),
};

export const ApiToken: ApiTokenResolvers = {};

export const Pack: PackResolvers = {
  name: (p) => p.manifest.name,
  title: (p) => p.manifest.title,
  description: (p) => p.manifest.description ?? null,
  resolution: (p, _, ctx) => ctx.packs.get(p.manifest.name)!.resolution,
  styleLayers: (p, _, ctx) => ctx.packs.get(p.manifest.name)!.styleLayers,
  classes: (p) =>
    p.manifest.classes.map((c) => ({ name: c.name, prompts: c.prompts, editPrompt: c.editPrompt ?? null })),
  defaults: (p) => {
    const d = p.manifest.defaults;
    return {
      steps: d.steps,
      lr: d.lr,
      lambdaId: d.lambdaId,
      lambdaSim: d.lambdaSim,
      truncation: d.truncation,
      space: d.space === 'w' ? 'W' : 'W_PLUS',
      audioLayers: d.audioLayers ?? null,
    };
  },
};
