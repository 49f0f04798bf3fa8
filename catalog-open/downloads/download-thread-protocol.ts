// The messages between a caller's thread and the download thread (download-off-loop.ts, download-thread.ts).
import type { MaskRule } from '../../policies/index.ts';
import type { DatabaseReach, TableScan } from '../../store/index.ts';
import type { OutputColumn, OutputFormat } from '../formats/index.ts';

export interface ThreadDownload {
  readonly type: 'download';
  readonly id: number;
  readonly reach: DatabaseReach;
  readonly format: OutputFormat;
  readonly columns: readonly OutputColumn[];
  readonly maskRules: readonly MaskRule[];
  readonly scan: TableScan;
  readonly sheetName: string;
  /** what the masks need (the pseudonym key stays in this process: threads share it) */
  readonly pseudonymKey: Uint8Array;
  readonly asOf: string;
}

export type ToDownloadThread =
  | ThreadDownload
  /** send this many more chunks */
  | { readonly type: 'pull'; readonly id: number; readonly chunks: number }
  /** the client went away: stop reading */
  | { readonly type: 'cancel'; readonly id: number };

export type FromDownloadThread =
  | { readonly type: 'chunk'; readonly id: number; readonly bytes: Uint8Array }
  | { readonly type: 'end'; readonly id: number }
  /** a fault by name and code only (a download fails before its first byte for anything a client can fix) */
  | { readonly type: 'failed'; readonly id: number; readonly name: string; readonly code: string | undefined };
