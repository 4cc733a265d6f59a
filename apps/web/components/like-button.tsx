'use client';
import { LikeEditDocument, UnlikeEditDocument } from '@soundedit/graphql';
import { useState } from 'react';
import { browserClient } from '../lib/browser-client.ts';
import { ensureSession } from '../lib/session.ts';
import { errorText } from '../lib/error-text.ts';

export function LikeButton(props: { id: string; count: number; liked: boolean; wsUrl: string }) {
  const [state, setState] = useState({ count: props.count, liked: props.liked });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const toggle = async () => {
    setBusy(true);
    setError(null);
    try {
      await ensureSession();
      const client = browserClient(props.wsUrl);
      const edit = state.liked
        ? (await client.request(UnlikeEditDocument, { id: props.id })).unlikeEdit
        : (await client.request(LikeEditDocument, { id: props.id })).likeEdit;
      setState({ count: edit.likeCount, liked: edit.likedByViewer });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        onClick={() => void toggle()}
        disabled={busy}
        aria-pressed={state.liked}
        className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm hover:bg-zinc-100 disabled:opacity-60 dark:border-zinc-700 dark:hover:bg-zinc-900"
      >
        {state.liked ? '♥ Liked' : '♡ Like'} <span className="sr-only">this edit,</span> ({state.count})
      </button>
      {error ? (
        <span role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </span>
      ) : null}
    </span>
  );
}
