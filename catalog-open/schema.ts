// Tables of open data: catalog metadata beside each registered dataset, annual priority lists (drafts and immutable
// published versions), conditional-open applications, data-quality feedback and download counts.
import { bigint, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { datasets } from '../store/registry/schema.ts';

/** 资源分类 of the government resource catalog: 类 / 项 / 目 / 细目. */
export interface ResourceClassification {
  category: string;
  item?: string;
  section?: string;
  detail?: string;
}

/** Catalog metadata of one dataset (政务数据资源目录). The registry holds what the data is; this, how it is published. */
export const catalogEntries = pgTable('catalog_entries', {
  datasetCode: text('dataset_code')
    .primaryKey()
    .references(() => datasets.code),
  /** 资源代码, unique across the catalog, e.g. `11000000-0001/000123` */
  resourceCode: text('resource_code').notNull().unique(),
  summary: text('summary').notNull().default(''),
  classification: jsonb('classification').$type<ResourceClassification>(),
  /** 数据领域, e.g. 社会保障 */
  theme: text('theme').notNull(),
  keywords: jsonb('keywords').$type<string[]>().notNull().default([]),
  /** 开放条件 for conditional-open data */
  openConditions: text('open_conditions'),
  /** 共享属性: unconditional / conditional / not_shared */
  shareType: text('share_type').notNull().default('conditional'),
  license: text('license').notNull().default('CC-BY-4.0'),
  nextUpdateDue: date('next_update_due'),
  issued: timestamp('issued', { withTimezone: true }),
  modified: timestamp('modified', { withTimezone: true }),
  temporalStart: date('temporal_start'),
  temporalEnd: date('temporal_end'),
  /** GB/T 2260 division code or name of the covered area */
  spatial: text('spatial'),
  /** lower-cased name, summary, keywords, department and field names: what `q` matches (position(), never LIKE) */
  searchText: text('search_text').notNull().default(''),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One item of an annual priority list (年度政务数据开放重点清单). Storage format of the `items` columns. */
export interface PriorityListItem {
  /** 序号 */
  seq: number;
  /** 数据领域 */
  theme: string;
  /** 数据名称 */
  name: string;
  /** 数据摘要/主要数据项 */
  summary: string;
  /** 开放属性 */
  openType: 'unconditional' | 'conditional';
  /** 开放方式 */
  accessMethods: ('download' | 'api')[];
  /** 数据格式 */
  formats: string[];
  /** 更新频率 */
  updateCycle: string;
  /** 计划开放时间, YYYY-MM-DD */
  plannedDate: string;
  /** 需求来源 */
  demandSource: string;
  /** the catalog entry once opened */
  datasetCode?: string | null;
  /** 备注 */
  note?: string;
}

/** The draft a department's steward edits; at most one per year and department. */
export const priorityListDrafts = pgTable(
  'priority_list_drafts',
  {
    year: integer('year').notNull(),
    departmentCode: text('department_code').notNull(),
    department: text('department').notNull(),
    items: jsonb('items').$type<PriorityListItem[]>().notNull(),
    updatedBy: text('updated_by').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.year, t.departmentCode] })],
);

/** Published lists: immutable (0006 forbids UPDATE and DELETE); a correction is the next version with a change note. */
export const priorityListVersions = pgTable(
  'priority_list_versions',
  {
    year: integer('year').notNull(),
    departmentCode: text('department_code').notNull(),
    version: integer('version').notNull(),
    department: text('department').notNull(),
    items: jsonb('items').$type<PriorityListItem[]>().notNull(),
    changeNote: text('change_note'),
    publishedBy: text('published_by').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.year, t.departmentCode, t.version] })],
);

export type ApplicationStatus = 'pending' | 'approved' | 'rejected';
export type ApplicationAccess = 'download' | 'sandbox';

export interface Applicant {
  type: 'person' | 'organization';
  name: string;
  /** unified social credit code, organizations only (checksum validated) */
  uscc?: string;
  contact: { email: string; phone?: string };
}

/** A conditional-open application (有条件开放申请) for fields of one dataset. */
export const applications = pgTable(
  'applications',
  {
    id: text('id').primaryKey(),
    datasetCode: text('dataset_code')
      .notNull()
      .references(() => datasets.code),
    fields: jsonb('fields').$type<string[]>().notNull(),
    departmentCode: text('department_code').notNull(),
    applicant: jsonb('applicant').$type<Applicant>().notNull(),
    purpose: text('purpose').notNull(),
    durationDays: integer('duration_days').notNull(),
    commitmentAcceptedAt: timestamp('commitment_accepted_at', { withTimezone: true }).notNull(),
    /** SHA-256 (hex) of the status token; the token itself is shown to the applicant once */
    statusTokenHash: text('status_token_hash').notNull(),
    /** what approval grants: a time-limited download, or a sandbox licence (data that may not leave the platform) */
    access: text('access').$type<ApplicationAccess>().notNull().default('download'),
    /** sandbox access only: the addresses the applicant's operator asked the licence to admit (CIDR) */
    ipAllowlist: jsonb('ip_allowlist').$type<string[]>(),
    status: text('status').$type<ApplicationStatus>().notNull().default('pending'),
    decidedBy: text('decided_by'),
    decisionReason: text('decision_reason'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    /** the approved grant: until when the credential works, and the sandbox licence it compiled to, if any */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    licenseId: text('license_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('applications_department_status_idx').on(t.departmentCode, t.status)],
);

export const FEEDBACK_KINDS = ['wrong', 'missing', 'stale', 'format', 'other'] as const;
export const FEEDBACK_STATUSES = ['open', 'in_progress', 'resolved', 'rejected'] as const;

/** Data-quality feedback (问题数据反馈) and the steward's replies. */
export const feedback = pgTable(
  'feedback',
  {
    id: text('id').primaryKey(),
    datasetCode: text('dataset_code')
      .notNull()
      .references(() => datasets.code),
    departmentCode: text('department_code').notNull(),
    kind: text('kind').$type<(typeof FEEDBACK_KINDS)[number]>().notNull(),
    message: text('message').notNull(),
    contact: text('contact'),
    status: text('status').$type<(typeof FEEDBACK_STATUSES)[number]>().notNull().default('open'),
    replies: jsonb('replies').$type<{ at: string; by: string; message: string; status: string }[]>().notNull().default([]),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('feedback_dataset_idx').on(t.datasetCode, t.status)],
);

/** Downloads per dataset, day and format: the demand signal and the "working downloads" quality input. */
export const downloadCounts = pgTable(
  'download_counts',
  {
    datasetCode: text('dataset_code').notNull(),
    day: date('day').notNull(),
    format: text('format').notNull(),
    count: bigint('count', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.datasetCode, t.day, t.format] })],
);
