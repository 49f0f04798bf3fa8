// `npm run -s docs:api`: rewrites docs/API.md's route index from the OpenAPI document of the app as it is now.
import { readFile, writeFile } from 'node:fs/promises';
import { documentedApp, openApiOf, renderRouteIndex, withRouteIndex } from './api-doc.ts';

const file = new URL('../docs/API.md', import.meta.url);
const app = documentedApp();
const markdown = await readFile(file, 'utf8');
await writeFile(file, withRouteIndex(markdown, renderRouteIndex(await openApiOf(app))));
process.stdout.write('docs/API.md: route index rewritten\n');
