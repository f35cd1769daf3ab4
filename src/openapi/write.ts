import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { OPENAPI_PATH, openApiDocument } from './document.js';

/** `npm run openapi`: regenerates the committed OpenAPI document from the zod schemas. */
const document = await openApiDocument();
await mkdir(dirname(OPENAPI_PATH), { recursive: true });
await writeFile(OPENAPI_PATH, document);
console.log(`wrote ${OPENAPI_PATH} (${document.length} bytes)`);
