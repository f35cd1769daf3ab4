/**
 * How the container runs the server, read from the Dockerfile's runtime stage: the node options
 * of its CMD and the allocator variables (MALLOC_*) of its ENV lines. A memory row measured with
 * them measures what the image deploys, and cannot drift from it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DOCKERFILE = fileURLToPath(new URL('../../../Dockerfile', import.meta.url));

export interface ContainerRuntime {
  /** Options between `node` and the script in CMD (V8 heap options). */
  nodeArgs: string[];
  /** MALLOC_* variables set by ENV. */
  env: Record<string, string>;
}

export function containerRuntime(dockerfile = readFileSync(DOCKERFILE, 'utf8')): ContainerRuntime {
  // The runtime stage is the last FROM; continuation lines are joined first.
  const stages = dockerfile.replace(/\\\n/g, ' ').split(/^FROM\s/m);
  const runtime = stages[stages.length - 1] ?? '';
  const env: Record<string, string> = {};
  for (const line of runtime.split('\n').filter((l) => l.startsWith('ENV '))) {
    for (const [, name, value] of line.slice(4).matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S+)/g)) {
      if (name!.startsWith('MALLOC_')) env[name!] = value!.replace(/^"|"$/g, '');
    }
  }
  const cmd = /^CMD\s+(\[.*\])\s*$/m.exec(runtime);
  if (!cmd?.[1]) throw new Error('Dockerfile: no exec-form CMD in the runtime stage');
  const argv = JSON.parse(cmd[1]) as string[];
  const script = argv.findIndex((arg) => arg.endsWith('server.js'));
  if (argv[0] !== 'node' || script < 0) throw new Error(`Dockerfile: CMD is not node … server.js: ${cmd[1]}`);
  return { nodeArgs: argv.slice(1, script), env };
}
