import { buildApp } from '../app.js';
import { defaultConfig } from '../config.js';

/** The OpenAPI document of the service on its embedded defaults, as committed in openapi/. */
export async function openApiDocument(): Promise<string> {
  const app = await buildApp(defaultConfig, { logger: false });
  await app.ready();
  const document = JSON.stringify(app.swagger(), null, 2) + '\n';
  await app.close();
  return document;
}

export const OPENAPI_PATH = 'openapi/openapi.json';
