import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import { PageQueryDto } from '../http/page-query.dto.js';
import type { User } from '../users/entities/user.entity.js';
import { SetActionItemDoneDto } from './dto/action-item.dto.js';
import { ProfileService } from './profile.service.js';
import { UserInsightsService } from './user-insights.service.js';

/** The person's profile and action items; admins read anyone's profile and raw insights. */
@ApiTags('insights')
@ApiBearerAuth()
@Controller('api/users')
export class InsightsController {
  constructor(
    private readonly profiles: ProfileService,
    private readonly insights: UserInsightsService,
  ) {}

  @Get('me/profile')
  myProfile(@CurrentUser() user: User) {
    return this.profiles.profileFor(user.id);
  }

  @Patch('me/action-items/:id')
  setActionItemDone(@CurrentUser() user: User, @Param('id') id: string, @Body() body: SetActionItemDoneDto) {
    return this.insights.setActionItemDone(user.id, id, body.done);
  }

  @Get(':id/profile')
  @Roles('admin')
  profile(@Param('id', ParseUUIDPipe) id: string) {
    return this.profiles.profileFor(id);
  }

  @Get(':id/insights')
  @Roles('admin')
  list(@Param('id', ParseUUIDPipe) id: string, @Query() query: PageQueryDto) {
    return this.insights.list(id, query);
  }
}
