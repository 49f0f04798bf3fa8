// Words of the dashboard (zh first).
export const WORDS = {
  zh: {
    jobs: '近 14 天作业（按结果）',
    alerts: '近 14 天高危告警（按严重程度）',
    budget: '隐私预算消耗（按运营方与授权）',
    downloads: '近 30 天下载量（按数据集）',
    progress: '年度开放重点清单进度（按部门）',
    empty: '暂无数据',
    status: { queued: '排队', running: '运行中', succeeded: '已发布', failed: '失败', rejected: '拒绝', review: '待审查' },
    severity: { low: '低', medium: '中', high: '高', critical: '严重' },
    itemStatus: { opened: '已开放', planned: '计划中', overdue: '逾期' },
  },
  en: {
    jobs: 'Jobs, last 14 days (by outcome)',
    alerts: 'High-risk alerts, last 14 days (by severity)',
    budget: 'Privacy budget spent (per operator and licence)',
    downloads: 'Downloads, last 30 days (per dataset)',
    progress: 'Priority-list progress (per department)',
    empty: 'Nothing yet',
    status: { queued: 'queued', running: 'running', succeeded: 'released', failed: 'failed', rejected: 'rejected', review: 'in review' },
    severity: { low: 'low', medium: 'medium', high: 'high', critical: 'critical' },
    itemStatus: { opened: 'opened', planned: 'planned', overdue: 'overdue' },
  },
} as const;
