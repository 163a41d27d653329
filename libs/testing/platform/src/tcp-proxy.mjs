// A TCP proxy (`node tcp-proxy.mjs <listen-port> <host:port>`) the fault suite puts between the
// platform and PostgreSQL: killing it is a database restart as the api and worker see it (every
// connection cut, new ones refused), and starting it again is the database coming back.
import { connect, createServer } from 'node:net';

const [listenPort, target] = process.argv.slice(2);
const [host, port] = (target ?? '').split(':');

createServer((client) => {
  const upstream = connect(Number(port), host);
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  for (const socket of [client, upstream]) {
    socket.setNoDelay(true);
    socket.on('error', close);
    socket.on('close', close);
  }
  client.pipe(upstream).pipe(client);
}).listen(Number(listenPort), '127.0.0.1');
