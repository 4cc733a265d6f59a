import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error.ts';

describe('ApiError', () => {
  it("keeps the API's code, field and retry hint, and defaults an unnamed error to INTERNAL_SERVER_ERROR", () => {
    const e = ApiError.fromPayload({
      message: 'steps must be 1..1000',
      extensions: { code: 'BAD_USER_INPUT', field: 'settings.steps' },
    });
    expect(e).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'settings.steps',
      message: 'steps must be 1..1000',
    });
    expect(
      ApiError.fromPayload({ message: 'slow down', extensions: { code: 'RATE_LIMITED', retryAfterS: 3 } }),
    ).toMatchObject({ retryAfterS: 3, field: undefined });
    expect(ApiError.fromPayload({ message: 'boom' }).code).toBe('INTERNAL_SERVER_ERROR');
  });
});
