import { Init1795311191405 } from './1795311191405-Init.js';
// Every migration, in order. `npm run migration:generate -- Name` appends new ones here.
export const MIGRATIONS: Function[] = [Init1795311191405];
