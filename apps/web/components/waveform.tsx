/** The sound's waveform from the API's 200 peak values, as a mirrored bar chart. */
export function Waveform({ peaks, label }: { peaks: readonly number[]; label: string }) {
  const width = peaks.length;
  const max = Math.max(1e-6, ...peaks);
  return (
    <svg
      viewBox={`0 0 ${width} 40`}
      preserveAspectRatio="none"
      role="img"
      aria-label={label}
      className="h-16 w-full text-violet-600 dark:text-violet-300"
    >
      {peaks.map((p, i) => {
        const h = Math.max(0.5, (p / max) * 19);
        return <rect key={i} x={i + 0.1} y={20 - h} width={0.8} height={2 * h} fill="currentColor" />;
      })}
    </svg>
  );
}
