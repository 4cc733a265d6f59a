import { Redis } from 'ioredis';
import type { EventBus } from './event-bus.ts';

/**
 * Redis pub/sub: progress published by a worker on one host reaches subscriptions served by an API
 * on another. One connection publishes; one more, in subscriber mode, listens to every channel any
 * local listener asked for.
 */
export class RedisEventBus implements EventBus {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly listeners = new Map<string, Set<(message: unknown) => void>>();

  constructor(url: string) {
    this.pub = new Redis(url, { maxRetriesPerRequest: 3 });
    this.sub = new Redis(url, { maxRetriesPerRequest: 3 });
    // Errors surface on the commands that fail; an idle connection's hiccup must not crash the process.
    this.pub.on('error', () => {});
    this.sub.on('error', () => {});
    this.sub.on('message', (channel: string, text: string) => {
      let message: unknown;
      try {
        message = JSON.parse(text);
      } catch {
        return;
      }
      for (const listener of [...(this.listeners.get(channel) ?? [])]) listener(message);
    });
  }

  async publish(channel: string, message: unknown): Promise<void> {
    await this.pub.publish(channel, JSON.stringify(message));
  }

  async subscribe(channel: string, listener: (message: unknown) => void): Promise<() => Promise<void>> {
    let set = this.listeners.get(channel);
    if (!set) {
      this.listeners.set(channel, (set = new Set()));
      await this.sub.subscribe(channel);
    }
    set.add(listener);
    return async () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(channel) === set) {
        this.listeners.delete(channel);
        await this.sub.unsubscribe(channel).catch(() => {});
      }
    };
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.sub.disconnect();
    await this.pub.quit().catch(() => this.pub.disconnect());
  }
}
