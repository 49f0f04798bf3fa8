// The messages between a caller's thread and the load thread (load-off-loop.ts, load-thread.ts).
import type { DatabaseReach } from '../database.ts';
import type { LoadDatasetInput, LoadResult } from './load-dataset.ts';

export interface ThreadLoad {
  readonly type: 'load';
  readonly id: number;
  readonly reach: DatabaseReach;
  readonly input: Omit<LoadDatasetInput, 'body' | 'onProgress'>;
}

export type ToThread =
  | ThreadLoad
  /** the next bytes of the upload (the buffer is transferred) */
  | { readonly type: 'chunk'; readonly id: number; readonly bytes: Uint8Array }
  | { readonly type: 'end'; readonly id: number }
  /** the upload broke: roll back */
  | { readonly type: 'abort'; readonly id: number };

/** A refusal as loadDataset threw it (an AppError: code, message, value-free details), or a fault by name and code. */
export type ThreadError =
  | { readonly app: true; readonly code: string; readonly message: string; readonly details: Record<string, unknown> | undefined }
  | { readonly app: false; readonly name: string; readonly code: string | undefined };

export type FromThread =
  /** send this many more chunks */
  | { readonly type: 'pull'; readonly id: number; readonly chunks: number }
  | { readonly type: 'progress'; readonly id: number; readonly rows: number; readonly bytes: number }
  | { readonly type: 'done'; readonly id: number; readonly result: LoadResult }
  | { readonly type: 'failed'; readonly id: number; readonly error: ThreadError };
