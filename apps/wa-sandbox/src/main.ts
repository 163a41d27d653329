import { startSandbox } from '@parley/whatsapp/sandbox';

const port = Number(process.env['SANDBOX_PORT'] ?? 4100);
const publicUrl = process.env['SANDBOX_PUBLIC_URL'] ?? `http://localhost:${port}`;

startSandbox(port, process.env['SANDBOX_HOST'] ?? '0.0.0.0', {
  publicUrl,
  controlToken: process.env['SANDBOX_CONTROL_TOKEN'] || undefined,
})
  .then((sandbox) => {
    console.warn(
      `WhatsApp Cloud API sandbox on ${sandbox.url} (Graph API at ${sandbox.url}/v23.0, chats at ${sandbox.url}/)`,
    );
    const stop = () => void sandbox.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
