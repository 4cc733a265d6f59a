import { EditPageDocument } from '@soundedit/graphql';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { BeforeAfter } from '../../../components/before-after.tsx';
import { CopyLink } from '../../../components/copy-link.tsx';
import { EditTile } from '../../../components/edit-tile.tsx';
import { LikeButton } from '../../../components/like-button.tsx';
import { ProgressView } from '../../../components/progress-view.tsx';
import { Waveform } from '../../../components/waveform.tsx';
import { publicWsUrl, serverClient } from '../../../lib/api.ts';
import type { EditDetail } from '../../../lib/types.ts';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ id: string }> };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function load(id: string): Promise<EditDetail | null> {
  if (!UUID.test(id)) return null;
  const { edit } = await (await serverClient()).request(EditPageDocument, { id });
  return edit ?? null;
}

function title(edit: EditDetail): string {
  const sound = edit.soundClass?.replaceAll('_', ' ') ?? 'a sound';
  return edit.parameters.prompt ? `${sound} + “${edit.parameters.prompt}”` : sound;
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const edit = await load((await params).id);
  return { title: edit ? `Edit: ${title(edit)}` : 'Edit not found' };
}

const STATUS_TEXT: Record<string, string> = {
  QUEUED: 'Queued',
  RUNNING: 'Running',
  SUCCEEDED: 'Succeeded',
  FAILED: 'Failed',
  CANCELED: 'Canceled',
};

export default async function EditPage({ params }: Params) {
  const edit = await load((await params).id);
  if (!edit) notFound();
  const wsUrl = publicWsUrl();
  const p = edit.parameters;
  const running = edit.status === 'QUEUED' || edit.status === 'RUNNING';
  const rows: [string, string | number | null | undefined][] = [
    ['Pack', edit.pack],
    ['Sound class', edit.soundClass?.replaceAll('_', ' ')],
    ['Prompt', p.prompt],
    [
      'Mix',
      p.mix === 'LAYERS'
        ? `layers ${p.audioLayers?.map((l) => l + 1).join('–') ?? ''} of ${edit.metrics?.layerChange.length ?? '?'} from the sound, the rest from the text`
        : p.mix === 'BLEND'
          ? `blend, text weight ${p.textWeight}`
          : null,
    ],
    [
      'Source',
      p.sourceEditId
        ? 'another edit'
        : p.seed !== null && p.seed !== undefined
          ? `seed ${p.seed} (truncation ${p.truncation ?? 'default'})`
          : 'uploaded picture',
    ],
    ['Steps', p.steps],
    ['Learning rate', p.lr],
    ['λ sim', p.lambdaSim],
    ['λ ID', p.lambdaId],
    ['Layer mask', p.mask?.toLowerCase()],
    ['Space', p.space === 'W' ? 'W' : 'W+'],
    ['Strength', p.strength],
    ['Loudness gain', p.loudnessGain ? 'on' : null],
  ];
  const m = edit.metrics;
  return (
    <article className="space-y-8">
      <header className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold tracking-tight">{title(edit)}</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          <span data-testid="edit-status">{STATUS_TEXT[edit.status] ?? edit.status}</span> · by{' '}
          {edit.author.name} · <time dateTime={edit.createdAt}>{new Date(edit.createdAt).toUTCString()}</time>
        </p>
      </header>

      {running ? (
        <ProgressView
          id={edit.id}
          status={edit.status}
          totalSteps={edit.totalSteps}
          wsUrl={wsUrl}
          canCancel
        />
      ) : null}
      {edit.status === 'FAILED' ? (
        <p
          role="alert"
          className="rounded-md border border-red-300 p-3 text-red-800 dark:border-red-800 dark:text-red-300"
        >
          This edit failed: {edit.errorMessage ?? 'no reason was given'} ({edit.errorCode ?? 'unknown'}).
        </p>
      ) : null}
      {edit.status === 'CANCELED' ? (
        <p className="text-zinc-700 dark:text-zinc-300">This edit was canceled.</p>
      ) : null}

      {edit.status === 'SUCCEEDED' && edit.sourceUrl && edit.resultUrl ? (
        <div className="grid gap-8 md:grid-cols-2">
          <BeforeAfter before={edit.sourceUrl} after={edit.resultUrl} label={title(edit)} />
          <div className="space-y-4">
            {edit.trajectoryUrl ? (
              <figure>
                <img
                  src={edit.trajectoryUrl}
                  alt="The optimisation's trajectory, from the source to the result"
                  className="pixelated w-48 rounded"
                />
                <figcaption className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Trajectory</figcaption>
              </figure>
            ) : null}
            <div className="flex flex-wrap gap-2">
              <LikeButton id={edit.id} count={edit.likeCount} liked={edit.likedByViewer} wsUrl={wsUrl} />
              <Link
                href={`/create?remix=${edit.id}`}
                className="rounded-md bg-accent px-3 py-1.5 text-sm font-medium text-white hover:bg-accent-strong"
              >
                Remix
              </Link>
              <CopyLink />
            </div>
            <ul className="flex flex-wrap gap-x-4 text-sm">
              <li>
                <a href={edit.resultUrl} download className="underline">
                  Result (PNG)
                </a>
              </li>
              {edit.sideBySideUrl ? (
                <li>
                  <a href={edit.sideBySideUrl} download className="underline">
                    Side by side
                  </a>
                </li>
              ) : null}
              {edit.trajectoryUrl ? (
                <li>
                  <a href={edit.trajectoryUrl} download className="underline">
                    Trajectory (GIF)
                  </a>
                </li>
              ) : null}
              {edit.recordUrl ? (
                <li>
                  <a href={edit.recordUrl} download className="underline">
                    Record (JSON)
                  </a>
                </li>
              ) : null}
            </ul>
          </div>
        </div>
      ) : null}

      {edit.sound ? (
        <section aria-labelledby="sound-heading" className="space-y-2">
          <h2 id="sound-heading" className="text-lg font-semibold">
            The sound
          </h2>
          <audio controls src={edit.sound.url} className="w-full max-w-lg">
            <a href={edit.sound.url}>Download the sound</a>
          </audio>
          <Waveform
            peaks={edit.sound.peaks}
            label={`Waveform of the ${edit.sound.durationS.toFixed(1)} s sound`}
          />
          <img
            src={edit.sound.spectrogramUrl}
            alt="Log-mel spectrogram of the sound"
            className="h-24 w-full max-w-lg rounded object-fill"
          />
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            {edit.sound.format}, {edit.sound.durationS.toFixed(2)} s, {edit.sound.sampleRate} Hz,{' '}
            {edit.sound.channels} channel(s)
          </p>
        </section>
      ) : null}

      <div className="grid gap-8 md:grid-cols-2">
        <section aria-labelledby="params-heading">
          <h2 id="params-heading" className="mb-2 text-lg font-semibold">
            Parameters
          </h2>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            {rows
              .filter(([, v]) => v !== null && v !== undefined && v !== '')
              .map(([k, v]) => (
                <div key={k} className="contents">
                  <dt className="text-zinc-600 dark:text-zinc-400">{k}</dt>
                  <dd>{v}</dd>
                </div>
              ))}
          </dl>
        </section>
        {m ? (
          <section aria-labelledby="metrics-heading">
            <h2 id="metrics-heading" className="mb-2 text-lg font-semibold">
              Metrics
            </h2>
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
              <dt className="text-zinc-600 dark:text-zinc-400">Sound–image cosine</dt>
              <dd data-testid="final-cosine">{m.finalCosine.toFixed(3)}</dd>
              {m.identitySimilarity !== null ? (
                <>
                  <dt className="text-zinc-600 dark:text-zinc-400">Identity similarity</dt>
                  <dd>{m.identitySimilarity.toFixed(3)}</dd>
                </>
              ) : null}
              {m.inversionPsnr !== null ? (
                <>
                  <dt className="text-zinc-600 dark:text-zinc-400">Inversion PSNR</dt>
                  <dd>{m.inversionPsnr.toFixed(1)} dB</dd>
                </>
              ) : null}
              {m.loudnessGain !== null ? (
                <>
                  <dt className="text-zinc-600 dark:text-zinc-400">Loudness</dt>
                  <dd data-testid="loudness">
                    {m.soundLevelDb !== null ? `${m.soundLevelDb.toFixed(1)} dBFS` : 'silent'}: strength ×
                    {m.loudnessGain.toFixed(2)}
                  </dd>
                </>
              ) : null}
              <dt className="text-zinc-600 dark:text-zinc-400">Time</dt>
              <dd>{m.seconds.toFixed(1)} s</dd>
            </dl>
            <LayerBars change={m.layerChange} weights={m.layerWeights} />
          </section>
        ) : null}
      </div>

      {edit.parent || edit.remixes.edges.length > 0 ? (
        <section aria-labelledby="remix-heading">
          <h2 id="remix-heading" className="mb-2 text-lg font-semibold">
            Remix tree
          </h2>
          {edit.parent ? (
            <>
              <h3 className="text-sm text-zinc-600 dark:text-zinc-400">Remixed from</h3>
              <ul className="mb-4 grid grid-cols-2 gap-4 sm:grid-cols-4">
                <EditTile edit={edit.parent} />
              </ul>
            </>
          ) : null}
          {edit.remixes.edges.length > 0 ? (
            <>
              <h3 className="text-sm text-zinc-600 dark:text-zinc-400">Remixes</h3>
              <ul className="grid grid-cols-2 gap-4 sm:grid-cols-4">
                {edit.remixes.edges.map(({ node }) => (
                  <EditTile key={node.id} edit={node} />
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : null}
    </article>
  );
}

/** Per-layer latent change and the adaptive mask's weights g, one bar each. */
function LayerBars({ change, weights }: { change: readonly number[]; weights: readonly number[] }) {
  const top = Math.max(1e-9, ...change);
  return (
    <figure className="mt-4">
      <figcaption className="mb-1 text-sm text-zinc-600 dark:text-zinc-400">
        Latent change per W+ layer (bars) and layer weight g
      </figcaption>
      <ol className="space-y-0.5 text-xs">
        {change.map((c, i) => (
          <li key={i} className="flex items-center gap-2">
            <span className="w-14 shrink-0">layer {i + 1}</span>
            <span
              className="h-2 rounded bg-violet-500"
              style={{ width: `${(c / top) * 60}%` }}
              aria-hidden="true"
            />
            <span>
              {c.toFixed(3)}
              {weights[i] !== undefined ? ` · g ${weights[i]!.toFixed(2)}` : ''}
            </span>
          </li>
        ))}
      </ol>
    </figure>
  );
}
