import { Controller, Get, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import type { User } from '../users/entities/user.entity.js';

/** Placeholder admin page until the dashboard issue builds KPIs and the live feed. */
@ApiExcludeController()
@Controller('admin')
export class DashboardPageController {
  @Get()
  @Roles('admin')
  @Render('admin-placeholder')
  show(@CurrentUser() user: User) {
    return { title: 'Admin', user };
  }
}
