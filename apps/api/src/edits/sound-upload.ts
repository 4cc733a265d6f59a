import { isAudioDecodeError } from '@soundedit/core';
import { SoundTooShortError, storeSound, type SoundRow } from '@soundedit/service';
import type { GraphQLError } from 'graphql';
import type { ApiContext } from '../context.ts';
import { apiError } from '../errors.ts';

/** Stores an upload for the viewer, or throws a GraphQL error that says what was wrong with it. */
export async function uploadSound(ctx: ApiContext, ownerId: string, bytes: Uint8Array): Promise<SoundRow> {
  try {
    return await storeSound(ctx.db, ctx.blobs, ownerId, bytes, ctx.limits.sound);
  } catch (e) {
    throw soundError(e);
  }
}

export function soundError(e: unknown): GraphQLError | Error {
  if (e instanceof SoundTooShortError) return apiError('BAD_USER_INPUT', e.message, { reason: 'TOO_SHORT' });
  if (!isAudioDecodeError(e)) return e as Error;
  const reason = e.code;
  switch (reason) {
    case 'TOO_LARGE':
      return apiError('PAYLOAD_TOO_LARGE', e.message, { reason });
    case 'UNSUPPORTED_FORMAT':
    case 'CORRUPT':
    case 'TRUNCATED':
    case 'NO_AUDIO':
    case 'EMPTY':
      return apiError('UNSUPPORTED_MEDIA_TYPE', e.message, { reason });
    case 'TOO_LONG':
      return apiError('BAD_USER_INPUT', e.message, { reason });
    default:
      return e;
  }
}
