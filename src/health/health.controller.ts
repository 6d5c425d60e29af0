import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/auth.decorators.js';
import { APP_VERSION } from '../config/app-version.js';

@ApiTags('health')
@Controller('api/health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
  ) {}

  @Get()
  @Public()
  @HealthCheck()
  @ApiOkResponse({ description: 'database reachable' })
  @ApiServiceUnavailableResponse({ description: 'database unreachable' })
  async check() {
    try {
      const result = await this.health.check([() => this.database.pingCheck('database', { timeout: 1500 })]);
      return { ...result, version: APP_VERSION };
    } catch {
      throw new ServiceUnavailableException(`database unreachable (version ${APP_VERSION})`);
    }
  }
}
