import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { dataSourceOptions } from './data-source-options.js';

/**
 * TypeORM over pg. Pending migrations run at start. An unreachable server is retried
 * (DATABASE_CONNECT_RETRIES × 2 s) before the app gives up with a clear message (see main.ts).
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        if (!config.databaseUrl) throw new Error('DATABASE_URL is not set and no embedded database was started');
        return {
          ...dataSourceOptions(config.databaseUrl),
          migrationsRun: true,
          retryAttempts: config.databaseConnectRetries,
          retryDelay: 2000,
          logging: ['error', 'warn', 'migration'],
        };
      },
    }),
  ],
})
export class DatabaseModule {}
