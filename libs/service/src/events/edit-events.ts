import type { EditStatus } from '../db/schema.ts';

/** What subscribers of an edit's channel hear, and what a worker listens for. */
export type EditEvent =
  | { type: 'status'; status: EditStatus; attempt?: number; workerId?: string }
  | {
      type: 'progress';
      step: number;
      totalSteps: number;
      loss: number;
      cosine: number;
      similarity: number;
      identity?: number;
      /** A PNG data URL of the current picture, every few steps. */
      preview?: string;
    }
  | {
      type: 'finished';
      status: 'SUCCEEDED' | 'FAILED' | 'CANCELED';
      errorCode?: string;
      errorMessage?: string;
    }
  /** From the API to whichever worker runs the edit. */
  | { type: 'cancel' };

/** The gallery feed: an edit just finished successfully. */
export interface GalleryEvent {
  type: 'edit-finished';
  editId: string;
}

export function isEditEvent(m: unknown): m is EditEvent {
  return typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string';
}
