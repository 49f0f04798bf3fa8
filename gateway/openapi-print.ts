// Prints the OpenAPI document (`npm run -s openapi`), built from the route definitions without a database, for
// `redocly lint` in CI and for client generators. PUBLIC_URL sets the server URL it names.
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';

const app = createApp({ config: loadConfig({ ...process.env, DATA_DIR: '/nonexistent' }), logger: createLogger('silent'), services: () => undefined });
const res = await app.request('/openapi.json');
if (res.status !== 200) throw new Error(`the OpenAPI document did not build: ${res.status}`);
process.stdout.write(`${JSON.stringify(await res.json(), null, 2)}\n`);
