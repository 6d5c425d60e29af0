import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import { CallsService } from '../conversations/calls.service.js';
import type { User } from '../users/entities/user.entity.js';
import { ActivityService } from './activity.service.js';
import { toCallsFilter } from './calls-filter.js';
import { DashboardService } from './dashboard.service.js';
import { ActivityQueryDto, CallsQueryDto, DashboardQueryDto } from './dto/dashboard-query.dto.js';

@ApiTags('dashboard')
@ApiBearerAuth()
@Roles('admin')
@Controller('api')
export class DashboardController {
  constructor(
    private readonly dashboard: DashboardService,
    private readonly calls: CallsService,
    private readonly activity: ActivityService,
  ) {}

  /** KPIs for from..to (local days in tz); definitions in docs/dashboard.md. */
  @Get('dashboard')
  kpis(@Query() query: DashboardQueryDto, @CurrentUser() user: User) {
    return this.dashboard.summarise(this.dashboard.range(query, user.timezone));
  }

  /** Finished calls, newest first; filters and full-text `q`. (POST /api/calls is the signed intake, in webhooks.) */
  @Get('calls')
  listCalls(@Query() query: CallsQueryDto, @CurrentUser() user: User) {
    return this.calls.findPage(toCallsFilter(query, user.timezone));
  }

  /** The activity feed, newest first. */
  @Get('activity')
  listActivity(@Query() query: ActivityQueryDto) {
    return this.activity.findPage(query);
  }
}
