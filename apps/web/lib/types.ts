import type { EditPageQuery, GalleryQuery, PacksQuery } from '@soundedit/graphql';

export type EditCard = GalleryQuery['edits']['edges'][number]['node'];
export type EditDetail = NonNullable<EditPageQuery['edit']>;
export type PackInfo = PacksQuery['packs'][number];
export type GalleryFilter = { pack?: string; soundClass?: string; promptContains?: string };
export type GalleryOrder = 'NEWEST' | 'MOST_LIKED';
