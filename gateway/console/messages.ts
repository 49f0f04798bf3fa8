// What went wrong, in the console's language: the action the person tried (from the request) and the error's stable
// code, never the verb's English message or a raw code. A conflict is explained for the action it happened in
// (a unified social credit code already registered, an application already decided …); a validation failure names
// the fields in words.
import type { AppError, ErrorCode } from '../../errors/index.ts';
import type { Lang } from './i18n.ts';

export type ConsoleAction =
  | 'register'
  | 'operatorStatus'
  | 'addKey'
  | 'retireKey'
  | 'grantLicence'
  | 'changeLicence'
  | 'verifyAudit'
  | 'signCheckpoint'
  | 'ackAlert'
  | 'decideApplication'
  | 'decideReview'
  | 'replyFeedback'
  | 'addItem'
  | 'removeItem'
  | 'publishList'
  | 'openList'
  | 'view';

/** Console routes (method, path under /console) → the action a person was taking. */
const ROUTES: [string, RegExp, ConsoleAction][] = [
  ['POST', /^\/console\/whitelist$/, 'register'],
  ['POST', /^\/console\/whitelist\/[^/]+\/status$/, 'operatorStatus'],
  ['POST', /^\/console\/whitelist\/[^/]+\/keys$/, 'addKey'],
  ['POST', /^\/console\/whitelist\/[^/]+\/keys\/[^/]+\/retire$/, 'retireKey'],
  ['POST', /^\/console\/whitelist\/[^/]+\/licenses$/, 'grantLicence'],
  ['POST', /^\/console\/whitelist\/[^/]+\/licenses\/[^/]+$/, 'changeLicence'],
  ['POST', /^\/console\/audit\/verify$/, 'verifyAudit'],
  ['POST', /^\/console\/audit\/checkpoints$/, 'signCheckpoint'],
  ['POST', /^\/console\/alerts\/[^/]+\/ack$/, 'ackAlert'],
  ['POST', /^\/console\/applications\/[^/]+\/decision$/, 'decideApplication'],
  ['POST', /^\/console\/reviews\/[^/]+\/decision$/, 'decideReview'],
  ['POST', /^\/console\/feedback\/[^/]+\/reply$/, 'replyFeedback'],
  ['POST', /^\/console\/priority-lists\/[^/]+\/[^/]+\/items$/, 'addItem'],
  ['POST', /^\/console\/priority-lists\/[^/]+\/[^/]+\/items\/[^/]+\/delete$/, 'removeItem'],
  ['POST', /^\/console\/priority-lists\/[^/]+\/[^/]+\/publish$/, 'publishList'],
  ['GET', /^\/console\/priority-lists\/open$/, 'openList'],
];

export function actionOf(method: string, path: string): ConsoleAction {
  return ROUTES.find(([m, pattern]) => m === method && pattern.test(path))?.[2] ?? 'view';
}

const WORDS = {
  zh: {
    failed: (action: string) => `${action}未完成`,
    actions: {
      register: '登记运营方',
      operatorStatus: '变更运营方状态',
      addKey: '添加公钥',
      retireKey: '停用公钥',
      grantLicence: '授予授权',
      changeLicence: '变更授权',
      verifyAudit: '校验审计日志',
      signCheckpoint: '签署检查点',
      ackAlert: '处理告警',
      decideApplication: '审批申请',
      decideReview: '审查作业输出',
      replyFeedback: '答复反馈',
      addItem: '添加清单条目',
      removeItem: '删除清单条目',
      publishList: '发布清单',
      openList: '打开清单',
      view: '打开页面',
    } satisfies Record<ConsoleAction, string>,
    codes: {
      BAD_REQUEST: '请求有误，请检查输入的内容。',
      VALIDATION_FAILED: '提交的内容有误，请修改以下各项：',
      NOT_FOUND: '要操作的对象不存在（可能已被删除，或编号有误）。',
      DATASET_NOT_FOUND: '该数据集不存在。',
      FIELD_NOT_FOUND: '该字段不存在。',
      CONFLICT: '与当前状态冲突，未作任何更改。',
      DATASET_EXISTS: '该数据集代码已被使用。',
      FORBIDDEN: '您无权执行此操作（访问策略不允许）。',
      UNAUTHENTICATED: '会话已结束，请重新登录。',
      INVALID_CREDENTIALS: '用户名或密码错误。',
      ACCOUNT_LOCKED: '账户已暂时锁定。',
      RATE_LIMITED: '操作过于频繁，请稍后再试。',
      QUOTA_EXCEEDED: '已超出当日配额。',
      BUDGET_EXHAUSTED: '隐私预算已用尽。',
      PAYLOAD_TOO_LARGE: '提交的内容过大。',
      UNSUPPORTED_MEDIA_TYPE: '提交的格式不受支持。',
      NOT_READY: '服务正在启动，请稍后再试。',
      DATABASE_LOCKED: '数据库正忙，请稍后再试。',
      LOAD_REJECTED: '数据未能载入。',
      RELEASE_REFUSED: '输出审查未通过，未发布。',
      AUDIT_UNAVAILABLE: '审计日志暂不可用，操作未执行。',
      AUDIT_CHAIN_BROKEN: '审计日志哈希链不完整。',
      POLICY_INVALID: '数据安全策略配置有误，请联系管理员。',
      INTERNAL: '服务内部出错，请联系管理员并提供请求编号：',
    } satisfies Record<ErrorCode, string>,
    conflicts: {
      register: '已有使用该统一社会信用代码的运营方。',
      operatorStatus: '该运营方已撤销，不能再恢复；如需恢复，请重新登记。',
      addKey: '该运营方已有相同编号（kid）的公钥。',
      grantLicence: '该运营方已撤销，不能授予授权。',
      changeLicence: '已撤销的授权不能再变更；如需继续使用，请重新授予。',
      ackAlert: '该告警已解决，或未涉及运营方，无法按要求处理。',
      decideApplication: '该申请已经处理过。',
      decideReview: '该作业已不在待审查状态（可能已被其他管理员处理）。',
      publishList: '草稿与最新发布的版本相同，无需发布。',
    } as Partial<Record<ConsoleAction, string>>,
    fields: {
      name: '名称',
      uscc: '统一社会信用代码',
      'contact.name': '联系人姓名',
      'contact.email': '电子邮箱',
      'contact.phone': '电话',
      jwks: '公钥',
      jwk: '公钥',
      reason: '原因',
      status: '状态',
      note: '处理说明',
      scenario: '应用场景',
      datasets: '数据集',
      code: '数据集',
      fields: '字段',
      operations: '允许的操作',
      validFrom: '生效时间',
      validTo: '失效时间',
      ipAllowlist: 'IP 白名单',
      privacyBudget: '隐私预算',
      epsilon: '隐私预算 ε',
      maxJobsPerDay: '每日作业上限',
      message: '答复内容',
      items: '清单条目',
      theme: '数据领域',
      summary: '数据摘要',
      openType: '开放属性',
      accessMethods: '开放方式',
      formats: '数据格式',
      updateCycle: '更新频率',
      plannedDate: '计划开放时间',
      demandSource: '需求来源',
      datasetCode: '关联数据集',
      changeNote: '变更说明',
      approve: '决定',
      year: '年度',
      department: '部门',
      actor: '操作者',
      action: '操作',
      resource: '对象',
      outcome: '结果',
      from: '起始时间',
      to: '截止时间',
      cursor: '分页位置',
    } as Record<string, string>,
  },
  en: {
    failed: (action: string) => `${action}: not done`,
    actions: {
      register: 'Register an operator',
      operatorStatus: 'Change the operator status',
      addKey: 'Add a key',
      retireKey: 'Retire a key',
      grantLicence: 'Grant a licence',
      changeLicence: 'Change a licence',
      verifyAudit: 'Verify the audit log',
      signCheckpoint: 'Sign a checkpoint',
      ackAlert: 'Handle an alert',
      decideApplication: 'Decide an application',
      decideReview: 'Review a job output',
      replyFeedback: 'Answer feedback',
      addItem: 'Add a list item',
      removeItem: 'Remove a list item',
      publishList: 'Publish the list',
      openList: 'Open a list',
      view: 'Open the page',
    } satisfies Record<ConsoleAction, string>,
    codes: {
      BAD_REQUEST: 'The request is not right; check what was entered.',
      VALIDATION_FAILED: 'Some of what was entered needs changing:',
      NOT_FOUND: 'The thing to act on does not exist (it may have been removed, or the id is wrong).',
      DATASET_NOT_FOUND: 'No such dataset.',
      FIELD_NOT_FOUND: 'No such field.',
      CONFLICT: 'This conflicts with the current state; nothing was changed.',
      DATASET_EXISTS: 'This dataset code is taken.',
      FORBIDDEN: 'You may not do this (the access policy does not allow it).',
      UNAUTHENTICATED: 'Your session has ended; please sign in again.',
      INVALID_CREDENTIALS: 'Wrong username or password.',
      ACCOUNT_LOCKED: 'The account is locked for a while.',
      RATE_LIMITED: 'Too many requests; please try again later.',
      QUOTA_EXCEEDED: 'The daily quota is used up.',
      BUDGET_EXHAUSTED: 'The privacy budget is used up.',
      PAYLOAD_TOO_LARGE: 'What was sent is too large.',
      UNSUPPORTED_MEDIA_TYPE: 'This format is not supported.',
      NOT_READY: 'The service is starting; please try again shortly.',
      DATABASE_LOCKED: 'The database is busy; please try again shortly.',
      LOAD_REJECTED: 'The data could not be loaded.',
      RELEASE_REFUSED: 'The output checks refused the release; nothing was published.',
      AUDIT_UNAVAILABLE: 'The audit log is unavailable; nothing was done.',
      AUDIT_CHAIN_BROKEN: 'The audit log hash chain is broken.',
      POLICY_INVALID: 'The data security policy is misconfigured; tell an administrator.',
      INTERNAL: 'Something went wrong inside; tell an administrator this request id:',
    } satisfies Record<ErrorCode, string>,
    conflicts: {
      register: 'An operator with this unified social credit code is registered already.',
      operatorStatus: 'A revoked operator cannot be reinstated; register it again.',
      addKey: 'The operator has a key with this id (kid) already.',
      grantLicence: 'The operator is revoked; no licence can be granted.',
      changeLicence: 'A revoked licence cannot be changed; grant a new one.',
      ackAlert: 'The alert is resolved already, or names no operator to suspend.',
      decideApplication: 'This application has been decided already.',
      decideReview: 'The job is no longer in review (another steward may have decided it).',
      publishList: 'The draft is the same as the latest published version; there is nothing to publish.',
    } as Partial<Record<ConsoleAction, string>>,
    fields: {
      name: 'Name',
      uscc: 'Unified social credit code',
      'contact.name': 'Contact name',
      'contact.email': 'Email',
      'contact.phone': 'Phone',
      jwks: 'Public key',
      jwk: 'Public key',
      reason: 'Reason',
      status: 'Status',
      note: 'Note',
      scenario: 'Scenario',
      datasets: 'Dataset',
      code: 'Dataset',
      fields: 'Fields',
      operations: 'Operations',
      validFrom: 'Valid from',
      validTo: 'Valid to',
      ipAllowlist: 'IP allowlist',
      privacyBudget: 'Privacy budget',
      epsilon: 'Privacy budget ε',
      maxJobsPerDay: 'Jobs per day',
      message: 'Reply',
      items: 'List items',
      theme: 'Theme',
      summary: 'Summary',
      openType: 'Open attribute',
      accessMethods: 'Access',
      formats: 'Formats',
      updateCycle: 'Update cycle',
      plannedDate: 'Planned date',
      demandSource: 'Demand source',
      datasetCode: 'Linked dataset',
      changeNote: 'Change note',
      approve: 'Decision',
      year: 'Year',
      department: 'Department',
      actor: 'Actor',
      action: 'Action',
      resource: 'Resource',
      outcome: 'Outcome',
      from: 'From',
      to: 'To',
      cursor: 'Page position',
    } as Record<string, string>,
  },
} as const;

/** The paths of a validation failure's issues: `{path}` objects (verbs) or "path: message" strings (console forms). */
function issuePaths(err: AppError): string[] {
  const issues = (err.details?.issues ?? []) as unknown[];
  const paths = issues.map((i) => (typeof i === 'string' ? i.split(':')[0]! : typeof i === 'object' && i !== null ? String((i as { path?: unknown }).path ?? '') : ''));
  const parameter = err.details?.parameter;
  if (typeof parameter === 'string') paths.push(parameter);
  return [...new Set(paths.map((p) => p.trim()).filter(Boolean))];
}

/** A field path in words: the whole path, else its last named part (`datasets.0.fields` → 字段), else the path. */
function fieldWords(path: string, lang: Lang): string {
  const fields = WORDS[lang].fields;
  if (fields[path]) return fields[path]!;
  const named = path.split('.').filter((p) => !/^\d+$/.test(p));
  return fields[named.at(-1) ?? ''] ?? fields[named.slice(-2).join('.')] ?? path;
}

export interface ErrorText {
  /** "<action> not done"; null when the person was only opening a page */
  title: string | null;
  message: string;
  /** fields to change, in words */
  fields: string[];
}

/** The error as a person reads it, in `lang`. */
export function describeError(err: AppError, request: { method: string; path: string }, lang: Lang): ErrorText {
  const w = WORDS[lang];
  const action = actionOf(request.method, request.path);
  const title = action === 'view' ? null : w.failed(w.actions[action]);
  const message = (err.code === 'CONFLICT' && w.conflicts[action]) || w.codes[err.code];
  const fields = err.code === 'VALIDATION_FAILED' || err.code === 'BAD_REQUEST' ? issuePaths(err).map((p) => fieldWords(p, lang)) : [];
  return { title, message, fields: [...new Set(fields)] };
}

export const internalMessage = (lang: Lang) => WORDS[lang].codes.INTERNAL;
