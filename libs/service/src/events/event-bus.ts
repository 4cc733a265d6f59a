/**
 * Publish/subscribe of small JSON messages by channel: edit progress and the gallery feed. In one
 * process an in-memory bus; with workers on other hosts, Redis pub/sub (redis-bus.ts).
 */
export interface EventBus {
  publish(channel: string, message: unknown): Promise<void>;
  /** Calls `listener` for each message on the channel until the returned function is called. */
  subscribe(channel: string, listener: (message: unknown) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export class MemoryEventBus implements EventBus {
  private readonly listeners = new Map<string, Set<(message: unknown) => void>>();

  async publish(channel: string, message: unknown): Promise<void> {
    // Copy, as a JSON round trip through Redis would: no listener sees another's mutations.
    const text = JSON.stringify(message);
    for (const listener of [...(this.listeners.get(channel) ?? [])]) listener(JSON.parse(text));
  }

  async subscribe(channel: string, listener: (message: unknown) => void): Promise<() => Promise<void>> {
    let set = this.listeners.get(channel);
    if (!set) this.listeners.set(channel, (set = new Set()));
    set.add(listener);
    return async () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(channel);
    };
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}

/** Channels: one per edit for its progress, one for the public feed. */
export const editChannel = (id: string): string => `edit:${id}`;
export const GALLERY_CHANNEL = 'gallery';
/** Something started or ended: queued edits have moved up. */
export const QUEUE_CHANNEL = 'queue';
