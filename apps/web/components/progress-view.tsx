'use client';
import { CancelEditDocument, EditProgressDocument, type EditProgressSubscription } from '@soundedit/graphql';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { browserClient } from '../lib/browser-client.ts';
import { errorText } from '../lib/error-text.ts';
import { ensureSession } from '../lib/session.ts';

type Progress = EditProgressSubscription['editProgress'];

/** Live progress of a queued or running edit: queue position, steps, a loss sparkline, previews, cancel. */
export function ProgressView(props: {
  id: string;
  status: string;
  totalSteps: number;
  wsUrl: string;
  canCancel: boolean;
}) {
  const router = useRouter();
  const [progress, setProgress] = useState<Progress | null>(null);
  const [losses, setLosses] = useState<number[]>([]);
  const [preview, setPreview] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let stopped = false;
    const iterator = browserClient(props.wsUrl).subscribe(EditProgressDocument, { id: props.id });
    void (async () => {
      try {
        for await (const { editProgress } of iterator) {
          if (stopped) break;
          setProgress(editProgress);
          const loss = editProgress.loss;
          if (typeof loss === 'number') setLosses((old) => [...old, loss]);
          if (editProgress.preview) setPreview(editProgress.preview);
          if (editProgress.edit) break;
        }
        if (!stopped) router.refresh();
      } catch (e) {
        if (!stopped) setError(errorText(e));
      }
    })();
    return () => {
      stopped = true;
      void iterator.return(undefined);
    };
  }, [props.id, props.wsUrl, router]);

  const cancel = async () => {
    try {
      await ensureSession();
      await browserClient(props.wsUrl).request(CancelEditDocument, { id: props.id });
    } catch (e) {
      setError(errorText(e));
    }
  };

  const status = progress?.status ?? props.status;
  const step = progress?.step ?? 0;
  const total = progress?.totalSteps ?? props.totalSteps;
  const percent = total > 0 ? Math.round((100 * step) / total) : 0;
  return (
    <section
      aria-labelledby="progress-heading"
      className="rounded-lg border border-zinc-200 p-4 dark:border-zinc-800"
    >
      <h2 id="progress-heading" className="text-lg font-semibold">
        {status === 'QUEUED' ? 'Waiting in the queue' : status === 'RUNNING' ? 'Editing…' : 'Finishing…'}
      </h2>
      <div aria-live="polite" className="mt-2 space-y-2 text-sm">
        {status === 'QUEUED' ? (
          <p data-testid="queue-position">
            {progress?.queuePosition
              ? `${progress.queuePosition} edit(s) ahead of this one.`
              : 'Next in line.'}
          </p>
        ) : (
          <p data-testid="step-counter">
            Step {step} of {total} ({percent}%)
          </p>
        )}
      </div>
      <progress
        className="mt-2 h-2 w-full accent-violet-600"
        max={total || 1}
        value={step}
        aria-label="Edit progress"
      />
      <div className="mt-3 flex flex-wrap items-center gap-4">
        {preview ? (
          <img src={preview} alt={`The picture at step ${step}`} className="pixelated h-32 w-32 rounded" />
        ) : null}
        <Sparkline values={losses} />
      </div>
      {error ? (
        <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : null}
      {props.canCancel ? (
        <button
          type="button"
          onClick={() => void cancel()}
          className="mt-3 rounded-md border border-zinc-300 px-3 py-1.5 text-sm hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-900"
        >
          Cancel edit
        </button>
      ) : null}
    </section>
  );
}

function Sparkline({ values }: { values: number[] }) {
  if (values.length < 2) return null;
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const span = hi - lo || 1;
  const points = values
    .map((v, i) => `${(i / (values.length - 1)) * 200},${40 - ((v - lo) / span) * 38 - 1}`)
    .join(' ');
  return (
    <svg
      viewBox="0 0 200 40"
      role="img"
      aria-label={`Loss, now ${values.at(-1)!.toFixed(3)}`}
      className="h-10 w-48 text-violet-600 dark:text-violet-300"
    >
      <polyline points={points} fill="none" stroke="currentColor" strokeWidth="1.5" />
    </svg>
  );
}
