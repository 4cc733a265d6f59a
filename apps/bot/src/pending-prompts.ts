import { randomUUID } from 'node:crypto';
import type { AttachmentInfo } from './attachments.ts';

interface Pending {
  image: AttachmentInfo;
  at: number;
}

/** Pictures waiting for the text a modal asks for (a modal's id is too short to carry a URL). */
class PendingPrompts {
  private readonly items = new Map<string, Pending>();

  constructor(private readonly ttlMs = 15 * 60_000) {}

  put(p: Omit<Pending, 'at'>): string {
    const now = Date.now();
    for (const [k, v] of this.items) if (now - v.at > this.ttlMs) this.items.delete(k);
    const key = randomUUID();
    this.items.set(key, { ...p, at: now });
    return key;
  }

  take(key: string): Pending | undefined {
    const p = this.items.get(key);
    this.items.delete(key);
    return p;
  }
}

export const pendingPrompts = new PendingPrompts();
