import type { EventBus } from '@soundedit/service';

/** What a stream's handler does with a message: yield a value, end the stream (after a last value), or skip. */
export type StreamStep<T> = { yield: T; end?: boolean } | { end: true } | undefined;

/**
 * Messages on some bus channels as an async iterable for a GraphQL subscription, in arrival order,
 * handled one at a time. Ends when the handler says so or the client unsubscribes (graphql-ws
 * calls return()), and unsubscribes from the bus either way.
 */
export function busStream<T>(
  bus: EventBus,
  channels: string[],
  handle: (channel: string, message: unknown) => Promise<StreamStep<T>>,
  first?: () => Promise<StreamStep<T>>,
): AsyncIterableIterator<T> {
  const inbox: [string, unknown][] = [];
  let wake: (() => void) | undefined;
  let done = false;
  const offs = Promise.all(
    channels.map((c) =>
      bus.subscribe(c, (m) => {
        inbox.push([c, m]);
        wake?.();
      }),
    ),
  );
  const close = async () => {
    done = true;
    wake?.();
    for (const off of await offs) await off();
  };
  let started = false;
  const iterator: AsyncIterableIterator<T> = {
    [Symbol.asyncIterator]() {
      return iterator;
    },
    async next(): Promise<IteratorResult<T>> {
      await offs;
      if (!started) {
        started = true;
        const step = first ? await first() : undefined;
        if (step?.end) await close();
        if (step && 'yield' in step) return { value: step.yield, done: false };
      }
      for (;;) {
        if (done) return { value: undefined, done: true };
        const item = inbox.shift();
        if (!item) {
          await new Promise<void>((r) => (wake = r));
          wake = undefined;
          continue;
        }
        const step = await handle(item[0], item[1]);
        if (step?.end) await close();
        if (step && 'yield' in step) return { value: step.yield, done: false };
      }
    },
    async return(): Promise<IteratorResult<T>> {
      await close();
      return { value: undefined, done: true };
    },
  };
  return iterator;
}
