// Steward desk: conditional-open applications to decide, job outputs in human review, data-quality feedback to answer,
// priority-list drafts to edit and publish, and each dataset's yearly privacy budget. Every action calls the verb the API uses; Cedar decides inside it (a
// steward acts for their department only).
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../../../errors/index.ts';
import type { GatewayDeps } from '../../context.ts';
import { langOf } from '../i18n.ts';
import type { ConsoleApp } from '../routes.tsx';
import type { ConsoleEnv } from '../session.ts';
import { applicationPages } from './applications.tsx';
import { feedbackPages } from './feedback.tsx';
import { priorityListPages } from './priority-lists.tsx';
import { privacyBudgetPages } from './privacy-budgets.tsx';
import { reviewPages } from './reviews.tsx';
import { WORDS } from './words.ts';

/** The desk is the stewards' (page routing only: the verbs still ask Cedar). */
const stewardsOnly: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
  if (c.get('session').staff.role !== 'steward') throw new AppError('FORBIDDEN', WORDS[langOf(c)].stewardsOnly);
  await next();
};

export function deskPages(ui: ConsoleApp, deps: GatewayDeps) {
  for (const path of ['/applications', '/applications/*', '/reviews', '/reviews/*', '/feedback', '/feedback/*', '/priority-lists', '/priority-lists/*', '/privacy-budgets', '/privacy-budgets/*']) ui.use(path, stewardsOnly);
  applicationPages(ui, deps);
  reviewPages(ui, deps);
  feedbackPages(ui, deps);
  priorityListPages(ui, deps);
  privacyBudgetPages(ui, deps);
}
