// How feedback is shown: publicly (never the reporter's contact, never who replied) and to stewards.
// Wire format of GET /open/feedback/{id}, GET /open/datasets/{code}/feedback and GET /steward/feedback.
import type { feedback } from '../schema.ts';

export type FeedbackRow = typeof feedback.$inferSelect;

export interface PublicFeedbackView {
  id: string;
  dataset: string;
  kind: FeedbackRow['kind'];
  status: FeedbackRow['status'];
  message: string;
  replies: { at: string; message: string; status: string }[];
  createdAt: string;
  updatedAt: string;
}

export interface StewardFeedbackView extends Omit<PublicFeedbackView, 'replies'> {
  departmentCode: string;
  contact: string | null;
  replies: FeedbackRow['replies'];
}

export function publicFeedbackView(row: FeedbackRow): PublicFeedbackView {
  return {
    id: row.id,
    dataset: row.datasetCode,
    kind: row.kind,
    status: row.status,
    message: row.message,
    replies: row.replies.map(({ at, message, status }) => ({ at, message, status })),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function stewardFeedbackView(row: FeedbackRow): StewardFeedbackView {
  return { ...publicFeedbackView(row), departmentCode: row.departmentCode, contact: row.contact, replies: row.replies };
}
