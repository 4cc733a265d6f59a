import { ApiError } from '@soundedit/graphql';
import { describe, expect, it } from 'vitest';
import { errorText } from './error-text.ts';

describe('errorText', () => {
  it('gives every failure a sentence a visitor can act on', () => {
    expect(errorText(new ApiError('RATE_LIMITED', 'slow down', { retryAfterS: 2.2 }))).toBe(
      'Too many requests: try again in 3 s.',
    );
    expect(
      errorText(
        new ApiError('RATE_LIMITED', 'you have 2 edits queued or running; at most 2 at once', {
          reason: 'ACTIVE_EDITS',
        }),
      ),
    ).toBe('You have 2 edits queued or running; at most 2 at once: wait for one to finish.');
    expect(errorText(new ApiError('PAYLOAD_TOO_LARGE', 'big', { maxBytes: 10 * 1024 * 1024 }))).toBe(
      'That file is too large: the limit is 10 MB.',
    );
    expect(errorText(new ApiError('UNSUPPORTED_MEDIA_TYPE', 'no decoder for text/plain'))).toMatch(
      /not a sound we can read: no decoder/,
    );
    expect(errorText(new ApiError('UNREACHABLE', 'fetch failed'))).toMatch(/cannot be reached/);
    expect(
      errorText(new ApiError('BAD_USER_INPUT', 'steps must be 1..1000', { field: 'settings.steps' })),
    ).toBe('steps must be 1..1000 (settings.steps)');
    expect(errorText(new Error('boom'))).toBe('boom');
  });
});
