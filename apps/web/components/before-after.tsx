'use client';
import { useId, useState } from 'react';

/** A comparison slider: the result over the source, revealed up to the handle. Keyboard: arrow keys. */
export function BeforeAfter({ before, after, label }: { before: string; after: string; label: string }) {
  const [split, setSplit] = useState(50);
  const id = useId();
  return (
    <figure className="w-full max-w-lg">
      <div className="relative aspect-square overflow-hidden rounded-lg bg-zinc-100 dark:bg-zinc-900">
        <img
          src={before}
          alt={`Before: the source picture of ${label}`}
          className="pixelated absolute inset-0 h-full w-full"
        />
        <img
          src={after}
          alt={`After: ${label}`}
          className="pixelated absolute inset-0 h-full w-full"
          style={{ clipPath: `inset(0 0 0 ${split}%)` }}
        />
        <div
          aria-hidden="true"
          className="absolute inset-y-0 w-0.5 bg-white shadow"
          style={{ left: `${split}%` }}
        />
      </div>
      <label htmlFor={id} className="mt-2 block text-sm">
        Before ← compare → after
      </label>
      <input
        id={id}
        type="range"
        min={0}
        max={100}
        value={split}
        onChange={(e) => setSplit(Number(e.target.value))}
        className="w-full accent-violet-600"
        aria-valuetext={`${100 - split}% of the result shown`}
      />
    </figure>
  );
}
