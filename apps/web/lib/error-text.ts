import { ApiError } from '@soundedit/graphql';

/** What to tell a visitor about a failed call, in words: every API error code has its sentence. */
export function errorText(e: unknown): string {
  if (!(e instanceof ApiError)) return e instanceof Error ? e.message : 'Something went wrong.';
  switch (e.code) {
    case 'PAYLOAD_TOO_LARGE': {
      const max = Number(e.details['maxBytes']);
      return Number.isFinite(max)
        ? `That file is too large: the limit is ${(max / 1024 / 1024).toFixed(0)} MB.`
        : 'That file is too large.';
    }
    case 'UNSUPPORTED_MEDIA_TYPE':
      return `That file is not a sound we can read: ${e.message}`;
    case 'RATE_LIMITED':
      if (e.details['reason'] === 'ACTIVE_EDITS') return `${sentence(e.message)}: wait for one to finish.`;
      return e.retryAfterS !== undefined
        ? `Too many requests: try again in ${Math.ceil(e.retryAfterS)} s.`
        : 'Too many requests: try again shortly.';
    case 'UNREACHABLE':
      return 'The soundedit API cannot be reached right now. Try again in a moment.';
    case 'UNAUTHENTICATED':
      return 'Your session has expired: reload the page.';
    case 'NOT_FOUND':
      return 'That no longer exists.';
    case 'FORBIDDEN':
      return 'That is not yours to change.';
    case 'BAD_USER_INPUT':
      return e.field ? `${e.message} (${e.field})` : e.message;
    default:
      return e.message;
  }
}

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
