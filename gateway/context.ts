// Who is calling and with what: the request-scoped variables every route and verb sees.
import type { Database } from '../store/index.ts';
import type { Config } from './config.ts';
import type { SigningKeys } from './identity/signing-keys.ts';
import type { Logger } from './logger.ts';

import type { Actor } from '../policies/index.ts';

export type { Actor };

/** What a route needs once the platform is up; absent while the database is unreachable or migrating. */
export interface Services {
  database: Database;
  keys: SigningKeys;
}

export interface GatewayDeps {
  config: Config;
  logger: Logger;
  /** returns undefined until the database is open and migrated */
  services: () => Services | undefined;
}

export type AppEnv = {
  Variables: {
    requestId: string;
    actor: Actor;
  };
};
