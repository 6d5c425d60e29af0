// The fake ElevenLabs of bench/run.mjs in a process of its own, so the load generator's busy event loop does not
// delay its answers. Reports { url, apiKey } over IPC; accepts { delayMs } messages.
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const { FakeElevenLabs } = await import(join(root, 'dist/test/support/fake-elevenlabs.js'));
const fake = await new FakeElevenLabs().start();
process.on('message', (message) => {
  if (typeof message?.delayMs === 'number') fake.delayMs = message.delayMs;
  process.send({ ack: true });
});
process.on('disconnect', () => fake.stop().then(() => process.exit(0)));
process.send({ url: fake.url, apiKey: fake.apiKey });
