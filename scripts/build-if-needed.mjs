// `npm start` and `npm run token` build first when dist/ is missing or older than the sources.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}
const built = existsSync(join(root, 'dist/src/main.js')) ? statSync(join(root, 'dist/src/main.js')).mtimeMs : 0;
const sources = Math.max(...['src', 'migrations', 'ormconfig.ts', 'tsconfig.json', 'package-lock.json'].map((p) => newest(join(root, p))));
if (!built || sources > built) {
  console.error('building (tsc)…');
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
  // tsc leaves main.js untouched when nothing in it changed; touch it so the next start does not rebuild.
  execFileSync('touch', [join(root, 'dist/src/main.js')]);
}
