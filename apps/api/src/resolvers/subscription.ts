import {
  editChannel,
  GALLERY_CHANNEL,
  getEdit,
  isEditEvent,
  queuePosition,
  QUEUE_CHANNEL,
  type EditRow,
  type GalleryEvent,
} from '@soundedit/service';
import type { ApiContext } from '../context.ts';
import { notFound } from '../errors.ts';
import type { EditProgressEvent, EditStatus, SubscriptionResolvers } from '../schema/resolver-types.ts';
import { busStream, type StreamStep } from './bus-stream.ts';

type ProgressPayload = Omit<EditProgressEvent, 'edit'> & { edit?: EditRow | null };

const ENDED: EditStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELED'];

async function snapshot(ctx: ApiContext, row: EditRow): Promise<ProgressPayload> {
  const ended = ENDED.includes(row.status);
  return {
    status: row.status,
    queuePosition: (await queuePosition(ctx.db, row)) ?? null,
    step: row.step,
    totalSteps: row.totalSteps,
    errorCode: row.errorCode,
    errorMessage: row.errorMessage,
    edit: ended ? row : null,
  };
}

function editProgress(ctx: ApiContext, id: string): AsyncIterableIterator<ProgressPayload> {
  let last: ProgressPayload | undefined;
  const fresh = async (): Promise<StreamStep<ProgressPayload>> => {
    const row = await getEdit(ctx.db, id);
    if (!row) return { end: true };
    const now = await snapshot(ctx, row);
    const ended = ENDED.includes(row.status);
    const changed = !last || last.status !== now.status || last.queuePosition !== now.queuePosition;
    last = now;
    return changed || ended ? { yield: now, end: ended } : undefined;
  };
  return busStream<ProgressPayload>(
    ctx.bus,
    [editChannel(id), QUEUE_CHANNEL],
    async (channel, m) => {
      if (channel === QUEUE_CHANNEL) return last?.status === 'QUEUED' ? fresh() : undefined;
      if (!isEditEvent(m) || m.type === 'cancel') return undefined;
      if (m.type === 'progress') {
        last = {
          status: 'RUNNING',
          queuePosition: null,
          step: m.step,
          totalSteps: m.totalSteps,
          loss: m.loss,
          cosine: m.cosine,
          similarity: m.similarity,
          identity: m.identity ?? null,
          preview: m.preview ?? null,
        };
        return { yield: last };
      }
      return fresh();
    },
    async () => {
      const row = await getEdit(ctx.db, id);
      if (!row) throw notFound('edit', id);
      last = await snapshot(ctx, row);
      return { yield: last, end: ENDED.includes(row.status) };
    },
  );
}

export const Subscription: SubscriptionResolvers = {
  editProgress: {
    subscribe: (_, { id }, ctx) => editProgress(ctx, id),
    resolve: (payload: ProgressPayload) => payload,
  },
  galleryFeed: {
    subscribe: (_, __, ctx) =>
      busStream<EditRow>(ctx.bus, [GALLERY_CHANNEL], async (_c, m) => {
        const row = await getEdit(ctx.db, (m as GalleryEvent).editId);
        return row ? { yield: row } : undefined;
      }),
    resolve: (payload: EditRow) => payload,
  },
};
