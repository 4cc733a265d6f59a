/**
 * Token buckets per identity: `burst` actions at once, refilled at `perMinute`. In memory: with
 * several API processes each holds its own buckets, which bounds a client's rate per process.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token; returns the seconds to wait when there is none. */
  take(key: string): { ok: true } | { ok: false; retryAfterS: number } {
    const t = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: t };
    b.tokens = Math.min(this.burst, b.tokens + ((t - b.at) / 60_000) * this.perMinute);
    b.at = t;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterS: Math.ceil(((1 - b.tokens) / this.perMinute) * 60) };
  }
}
