// npm run migration:generate -- Name
// Builds, brings a database to the latest migration (DATABASE_URL, or a throwaway embedded PostgreSQL),
// generates migrations/<timestamp>-Name.ts from the entity diff and registers it in migrations/index.ts.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const name = process.argv[2];
if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
  console.error('usage: npm run migration:generate -- PascalCaseName');
  process.exit(1);
}
const run = (args, env) => execFileSync(process.execPath, args, { stdio: 'inherit', cwd: root, env: { ...process.env, ...env } });
run([join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json']);

let embedded;
let url = process.env.DATABASE_URL;
if (!url) {
  const { EmbeddedDatabase } = await import(join(root, 'dist/src/database/embedded-database.js'));
  const dir = join(mkdtempSync(join(tmpdir(), 'convai-migrate-')), 'db');
  embedded = new EmbeddedDatabase({ dir, port: 54000 + Math.floor(Math.random() * 900), persistent: false });
  url = await embedded.start();
}
try {
  const cli = join(root, 'node_modules/typeorm/cli.js');
  run([cli, 'migration:run', '-d', 'dist/ormconfig.js'], { DATABASE_URL: url });
  const before = new Set(readdirSync(join(root, 'migrations')));
  run([cli, 'migration:generate', `migrations/${name}`, '-d', 'dist/ormconfig.js', '-p'], { DATABASE_URL: url });
  const file = readdirSync(join(root, 'migrations')).find((f) => !before.has(f));
  const className = /export class (\w+)/.exec(readFileSync(join(root, 'migrations', file), 'utf8'))[1];
  const index = join(root, 'migrations/index.ts');
  const source = readFileSync(index, 'utf8')
    .replace(/^\/\/ Every migration/m, `import { ${className} } from './${file.replace(/\.ts$/, '.js')}';\n$&`)
    .replace(/\[([^\]]*)\];/, (_, list) => `[${[...list.split(',').map((s) => s.trim()).filter(Boolean), className].join(', ')}];`);
  writeFileSync(index, source);
  console.log(`generated migrations/${file} (${className}) and registered it in migrations/index.ts`);
} finally {
  await embedded?.stop();
}
