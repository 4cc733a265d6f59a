import { redisReachable, TEST_REDIS_URL as REDIS_URL } from '../testing/test-redis.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryEventBus, type EventBus } from './event-bus.ts';
import { RedisEventBus } from './redis-bus.ts';

const redis = await redisReachable();
if (!redis) console.warn(`Redis at ${REDIS_URL} is not reachable: the Redis event bus tests are skipped`);

const buses: EventBus[] = [];
afterAll(async () => {
  for (const b of buses) await b.close();
});

const kinds = [
  ['memory', () => new MemoryEventBus(), true],
  ['redis', () => new RedisEventBus(REDIS_URL), redis],
] as const;

describe.each(kinds)('%s event bus', (_name, make, available) => {
  const maybe = available ? it : it.skip;

  maybe('delivers messages on a channel to its listeners, in order, until they unsubscribe', async () => {
    const a = make();
    buses.push(a);
    // Publisher and listener on different connections (another host, for Redis).
    const b = _name === 'redis' ? make() : a;
    if (b !== a) buses.push(b);
    const channel = `test:${Math.random()}`;
    const got: unknown[] = [];
    const other: unknown[] = [];
    const off = await a.subscribe(channel, (m) => got.push(m));
    await a.subscribe(`${channel}:other`, (m) => other.push(m));
    for (let i = 0; i < 5; i++) await b.publish(channel, { i });
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toEqual([0, 1, 2, 3, 4].map((i) => ({ i })));
    expect(other).toEqual([]);
    await off();
    await b.publish(channel, { i: 5 });
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toHaveLength(5);
  });
});
