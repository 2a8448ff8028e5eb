// A local AT Protocol network for Chorus' Bluesky tests: PLC directory, PDS and AppView
// from @atproto/dev-env, all on loopback. Prints "READY ..." once every service answers.
import net from 'node:net';
import { TestNetwork } from '@atproto/dev-env';

// dev-env's servers listen on every interface when no host is given; tests must never
// expose accounts with known passwords beyond this machine.
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const [first] = args;
  if (first === undefined || first === null || typeof first === 'function') {
    args = [0, '127.0.0.1', ...args.filter((a) => a !== undefined && a !== null)];
  } else if (typeof first === 'number' || /^\d+$/.test(String(first))) {
    if (typeof args[1] === 'string') args[1] = '127.0.0.1';
    else args.splice(1, 0, '127.0.0.1');
  } else if (typeof first === 'object' && !first.path && !(first instanceof net.Server) && !first._handle) {
    args[0] = { ...first, host: '127.0.0.1' };
  }
  return listen.apply(this, args);
};

const network = await TestNetwork.create({
  dbPostgresSchema: process.env.CHORUS_ATP_SCHEMA || 'chorus_atp',
  plc: { port: 2582 },
  pds: { port: 2583, hostname: 'localhost', enableDidDocWithSession: true },
  bsky: { port: 2584, publicUrl: 'http://localhost:2584' },
  ozone: { port: 2587, chatUrl: 'http://localhost:2590', chatDid: 'did:example:chat' },
});
console.log(`READY pds=${network.pds.url} appview=${network.bsky.url} plc=${network.plc.url}`);
const stop = async () => {
  try { await network.close(); } finally { process.exit(0); }
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
