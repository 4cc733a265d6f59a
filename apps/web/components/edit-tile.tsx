import Link from 'next/link';
import type { EditCard } from '../lib/types.ts';

/** A gallery tile: the result, with the source shown on hover or focus (before/after at a glance). */
export function EditTile({ edit }: { edit: EditCard }) {
  const sound = edit.soundClass?.replaceAll('_', ' ');
  const label = edit.parameters.prompt
    ? `${sound ?? 'sound'} + “${edit.parameters.prompt}”`
    : (sound ?? 'sound edit');
  return (
    <li className="list-none">
      <Link
        href={`/e/${edit.id}`}
        className="group block rounded-lg focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent"
        data-edit-id={edit.id}
      >
        <div className="relative aspect-square overflow-hidden rounded-lg bg-zinc-100 dark:bg-zinc-900">
          {edit.resultUrl ? (
            <img
              src={edit.resultUrl}
              alt={`Result of ${label}`}
              className="pixelated absolute inset-0 h-full w-full object-cover"
              loading="lazy"
            />
          ) : null}
          {edit.sourceUrl ? (
            <img
              src={edit.sourceUrl}
              alt=""
              aria-hidden="true"
              className="pixelated absolute inset-0 h-full w-full object-cover opacity-0 transition-opacity group-hover:opacity-100 group-focus-visible:opacity-100"
              loading="lazy"
            />
          ) : null}
        </div>
        <div className="mt-1 flex items-center justify-between gap-2 text-sm">
          <span className="truncate">{label}</span>
          <span className="shrink-0 text-zinc-600 dark:text-zinc-400" aria-label={`${edit.likeCount} likes`}>
            ♥ {edit.likeCount}
          </span>
        </div>
        <div className="text-xs text-zinc-600 dark:text-zinc-400">
          {edit.pack} · by {edit.author.name}
        </div>
      </Link>
    </li>
  );
}
