import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LAYOUT_CENTRAL_HEADERS_FILE } from '../../src/generator/zip/central-directory.js';
import { LAYOUT_TAIL_FILE } from '../../src/generator/writer/writer-layout.js';

/** Files this service's spill folders in `tempDir` hold, but the layouts it keeps for ranges (by design, until evicted or closed). */
export function spillsLeftBehind(tempDir: string): string[] {
  const layoutFiles = new Set([LAYOUT_CENTRAL_HEADERS_FILE, LAYOUT_TAIL_FILE]);
  return readdirSync(tempDir)
    .filter((name) => name.startsWith('zipper-cd-'))
    .flatMap((folder) => {
      const files = readdirSync(join(tempDir, folder));
      return files.length === 0 ? [folder] : files.filter((file) => !layoutFiles.has(file)).map((file) => `${folder}/${file}`);
    });
}

/** The layout files kept in `tempDir`. */
export function layoutFiles(tempDir: string): string[] {
  return readdirSync(tempDir)
    .filter((name) => name.startsWith('zipper-cd-'))
    .flatMap((folder) => readdirSync(join(tempDir, folder)).filter((file) => file.startsWith('layout-')));
}
