'use client';
import { useState } from 'react';

/** Copies the page's address (falls back to showing it where the clipboard is not allowed). */
export function CopyLink() {
  const [done, setDone] = useState<string | null>(null);
  const copy = async () => {
    const url = window.location.href;
    try {
      await navigator.clipboard.writeText(url);
      setDone('Link copied.');
    } catch {
      setDone(url);
    }
  };
  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        onClick={() => void copy()}
        className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-900"
      >
        Share link
      </button>
      <span aria-live="polite" className="text-sm text-zinc-600 dark:text-zinc-400">
        {done}
      </span>
    </span>
  );
}
