'use client';
import { SoundeditClient } from '@soundedit/graphql';

let started: Promise<unknown> | undefined;

/** A visitor's identity: the API sets a signed session cookie through this site's proxy, once per page. */
export async function ensureSession(): Promise<void> {
  started ??= new SoundeditClient({ url: '' }).startSession().catch((e: unknown) => {
    started = undefined;
    throw e;
  });
  await started;
}
