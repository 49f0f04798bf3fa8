// The console's pages, one module per area; each registers its routes on the console app (session already checked).
import type { GatewayDeps } from '../context.ts';
import type { ConsoleApp } from './routes.tsx';
import { dashboardPages } from './dashboard/pages.tsx';
import { whitelistPages } from './whitelist/pages.tsx';
import { auditPages } from './audit/pages.tsx';
import { alertPages } from './alerts/pages.tsx';
import { deskPages } from './desk/pages.tsx';

export type RegisterPages = (ui: ConsoleApp, deps: GatewayDeps) => void;

export const CONSOLE_PAGES: RegisterPages[] = [dashboardPages, whitelistPages, auditPages, alertPages, deskPages];
