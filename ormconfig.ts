import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './src/database/data-source-options.js';

// The DataSource the TypeORM CLI uses (`npm run migration:*`). It needs DATABASE_URL; with the embedded
// database that is postgres://postgres:postgres@127.0.0.1:54329/convai_rooms while the server runs.
const url = process.env.DATABASE_URL;
if (!url) {
  throw new Error('DATABASE_URL is not set: start the server (embedded database) or point it at your PostgreSQL');
}
export default new DataSource(dataSourceOptions(url));
