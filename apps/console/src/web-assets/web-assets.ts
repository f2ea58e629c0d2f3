import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The bundled front end (vite build → dist/web, next to dist/src): served as files, no CDN. */
export const WEB_ROOT = join(__dirname, '..', '..', 'web');

export function serveWebAssets(app: INestApplication): void {
  if (!existsSync(join(WEB_ROOT, 'index.html'))) throw new Error(`no front end at ${WEB_ROOT}: build the console first (nx run console:build)`);
  (app as NestExpressApplication).useStaticAssets(WEB_ROOT, { index: 'index.html', maxAge: '1h', setHeaders: noCacheForIndex });
}

/** The page names the hashed bundle files: it must be fetched afresh, they may be cached. */
function noCacheForIndex(response: { setHeader(name: string, value: string): void }, path: string): void {
  if (path.endsWith('index.html')) response.setHeader('cache-control', 'no-cache');
}
