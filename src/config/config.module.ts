import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, loadAppConfig } from './app-config.js';

/** Provides the validated AppConfig under APP_CONFIG; read from process.env when the module is created. */
@Global()
@Module({
  providers: [{ provide: APP_CONFIG, useFactory: () => loadAppConfig() }],
  exports: [APP_CONFIG],
})
export class ConfigModule {}
