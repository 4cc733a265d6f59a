import { Redis } from 'ioredis';

/** Where the loopback Redis server is. */
export const TEST_REDIS_URL = process.env.SOUNDEDIT_TEST_REDIS ?? 'redis://127.0.0.1:6379';

/** Is it reachable? Tests that need it say so and skip when it is not. */
export async function redisReachable(url = TEST_REDIS_URL): Promise<boolean> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => {});
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}
