import { Readable } from 'node:stream';
import { generatedCsv } from '../data/index.ts';
const chunks: Buffer[] = [];
for await (const c of generatedCsv('legal_persons', 5, 'x') as Readable) chunks.push(Buffer.from(c as Uint8Array));
console.log(Buffer.concat(chunks).toString().slice(0, 900));
