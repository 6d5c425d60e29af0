import { EmbeddedDatabase } from './dist/src/database/embedded-database.js';
const db = new EmbeddedDatabase({ dir: '/tmp/embx/db', port: 54777, persistent: false });
console.log(await db.start());
process.on('SIGTERM', async () => { await db.stop(); process.exit(0); });
setInterval(() => {}, 1000);
