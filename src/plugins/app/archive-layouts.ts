import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ArchiveLayouts } from '../../generator/seek/archive-layouts.js';

/** Archive lengths remembered (by ETag): a number each. */
const REMEMBERED_LENGTHS = 10_000;
/** Layouts remembered at most, whatever their size. */
const REMEMBERED_LAYOUTS = 1_000;

declare module 'fastify' {
  interface FastifyInstance {
    /** Lengths and layouts of archives this process made, by ETag: Content-Length, ranges that seek, the plan's exact bytes. */
    archiveLayouts: ArchiveLayouts;
  }
}

/** What the archive routes and the plan learn of archives they made; its files are removed when the app closes. */
export const archiveLayouts = fp(
  async (app: FastifyInstance) => {
    const layouts = new ArchiveLayouts({ lengths: REMEMBERED_LENGTHS, layouts: REMEMBERED_LAYOUTS, layoutBytes: app.config.layoutCacheSize });
    app.decorate('archiveLayouts', layouts);
    app.addHook('onClose', async () => layouts.clear());
  },
  { name: 'archive-layouts' },
);
