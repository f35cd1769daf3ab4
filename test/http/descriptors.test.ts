import { connect, type Socket } from 'node:net';
import t from 'tap';
import { connectionsForDescriptorLimit, loadConfig } from '../../src/config.js';
import { startChildServer } from '../helpers/child-server.js';
import { holdDownload } from '../helpers/downloads.js';
import { postArchive } from '../helpers/server.js';
import { readZip } from '../helpers/zip.js';

const DESCRIPTORS = 256;
const FLOOD = 400;

t.test('the connection cap follows the descriptor limit unless ZIPPER_MAX_CONNECTIONS sets it', async (t) => {
  t.equal(connectionsForDescriptorLimit(1024), 896, '128 descriptors kept for the rest of the process');
  t.equal(connectionsForDescriptorLimit(100), 16, 'never below 16');
  t.equal(loadConfig({ ZIPPER_MAX_CONNECTIONS: '50' }).maxConnections, 50);
  t.ok(loadConfig({}).maxConnections >= 16);
  t.throws(() => loadConfig({ ZIPPER_MAX_CONNECTIONS: '0' }), { message: /ZIPPER_MAX_CONNECTIONS/ });
});

t.test(`a process limited to ${DESCRIPTORS} descriptors survives ${FLOOD} idle connections and serves archives after`, async (t) => {
  const server = await startChildServer({ LOG_LEVEL: 'warn' }, `ulimit -n ${DESCRIPTORS}`);
  t.teardown(() => {
    server.child.kill('SIGKILL');
  });
  // A download in flight through the flood.
  const held = await holdDownload(server.origin, { count: 20_000, seed: 7 });
  const { port } = new URL(server.origin);
  const sockets: Socket[] = [];
  let closedByServer = 0;
  for (let k = 0; k < FLOOD; k++) {
    const socket = connect(Number(port), '127.0.0.1');
    socket.on('error', () => undefined);
    socket.on('close', () => closedByServer++);
    sockets.push(socket);
  }
  // Longer than several load-shedding samples and metric reads: the old memory sampler threw EMFILE here.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const cap = connectionsForDescriptorLimit(DESCRIPTORS);
  t.ok(closedByServer >= FLOOD - cap, `${closedByServer} of ${FLOOD} closed at once by the server (cap ${cap})`);
  t.equal(server.child.exitCode, null, 'the process is alive');
  for (const socket of sockets) socket.destroy();
  const body = await held.drain();
  t.equal((await readZip(body)).length, 20_001, 'the download in flight completed whole');
  const after = await postArchive(server.origin, { count: 1_000, withMetadata: true, seed: 8 });
  t.equal(after.status, 200, 'a new archive after the flood');
  t.equal((await readZip(after.body)).length, 1_001);
  t.equal(server.child.exitCode, null, 'still alive');
});
