// The console speaks Chinese first; English on request (a cookie set by the language switch).
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';

export const LANGS = ['zh', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const LANG_COOKIE = 'console_lang';

export function langOf(c: Context): Lang {
  return getCookie(c, LANG_COOKIE) === 'en' ? 'en' : 'zh';
}

/** Shared words of the console shell. Pages keep their own dictionaries beside them (same shape: zh and en). */
export const SHELL = {
  zh: {
    product: '政务数据平台 · 管理控制台',
    signIn: '登录',
    signOut: '退出登录',
    username: '用户名',
    password: '密码',
    signInFailed: '用户名或密码错误',
    locked: '登录失败次数过多，账户已暂时锁定',
    sessionEnded: '会话已结束，请重新登录',
    dashboard: '概览',
    whitelist: '白名单',
    audit: '审计日志',
    alerts: '高危告警',
    desk: '数据管理员工作台',
    applications: '有条件开放申请',
    reviews: '输出人工审查',
    feedback: '数据问题反馈',
    priorityLists: '年度开放重点清单',
    privacyBudgets: '隐私预算',
    forbidden: '无权访问此页面',
    notFound: '页面不存在',
    error: '操作未完成',
    switchLang: 'English',
    roleSecurity: '安全管理员',
    roleSteward: '数据管理员',
    skip: '跳到主要内容',
    back: '返回上一页',
    actions: '操作',
    timeZone: '北京时间',
    allTimes: '本控制台的所有时间均为北京时间（UTC+8）。',
  },
  en: {
    product: 'Government Data Platform · Console',
    signIn: 'Sign in',
    signOut: 'Sign out',
    username: 'Username',
    password: 'Password',
    signInFailed: 'Wrong username or password',
    locked: 'Too many failed sign-ins; the account is locked for a while',
    sessionEnded: 'Your session has ended; please sign in again',
    dashboard: 'Dashboard',
    whitelist: 'Whitelist',
    audit: 'Audit log',
    alerts: 'Alerts',
    desk: 'Steward desk',
    applications: 'Applications',
    reviews: 'Output reviews',
    feedback: 'Data feedback',
    priorityLists: 'Priority lists',
    privacyBudgets: 'Privacy budgets',
    forbidden: 'You may not open this page',
    notFound: 'No such page',
    error: 'The action did not complete',
    switchLang: '中文',
    roleSecurity: 'Security staff',
    roleSteward: 'Data steward',
    skip: 'Skip to main content',
    back: 'Back to the page',
    actions: 'Actions',
    timeZone: 'China Standard Time (UTC+8)',
    allTimes: 'All times in this console are China Standard Time (UTC+8).',
  },
} as const satisfies Record<Lang, Record<string, string>>;

export type ShellWords = (typeof SHELL)[Lang];
