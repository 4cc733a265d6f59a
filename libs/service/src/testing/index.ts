// Test helpers for the apps (import '@soundedit/service/testing'); never part of the built library.
export {
  openTestDatabase,
  postgresReachable,
  TEST_POSTGRES_URL,
  type TestDatabase,
} from './test-databases.ts';
export { redisReachable, TEST_REDIS_URL } from './test-redis.ts';
