'use client';

/** Any failure while rendering a page, most often the API being unreachable. */
export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <div role="alert" className="space-y-3">
      <h1 className="text-2xl font-semibold">This page could not be shown</h1>
      <p>
        The soundedit API did not answer as expected. It may be restarting; try again in a moment.
        {error.digest ? (
          <span className="block text-sm text-zinc-600 dark:text-zinc-400">Reference {error.digest}</span>
        ) : null}
      </p>
      <button
        type="button"
        onClick={reset}
        className="rounded-md bg-accent px-3 py-1.5 text-sm font-medium text-white"
      >
        Try again
      </button>
    </div>
  );
}
