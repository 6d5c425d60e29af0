import { Controller, Get, NotFoundException, Param, ParseUUIDPipe, Query, Render, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import type { User } from '../users/entities/user.entity.js';
import { AdminPageService } from './admin-page.service.js';
import { CallsQueryDto } from './dto/dashboard-query.dto.js';

/** The admin dashboard page and one call's page (EJS, admin cookie; the page script lives in public/assets/admin.js). */
@ApiExcludeController()
@Roles('admin')
@Controller('admin')
export class DashboardPageController {
  constructor(private readonly pages: AdminPageService) {}

  @Get()
  @Render('admin')
  async show(@CurrentUser() user: User, @Query() query: CallsQueryDto, @Res({ passthrough: true }) response: Response) {
    response.setHeader('Cache-Control', 'no-store');
    return this.pages.dashboardPage(user, query);
  }

  @Get('conversations/:id')
  @Render('admin-conversation')
  async conversation(@CurrentUser() user: User, @Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) response: Response) {
    const view = await this.pages.conversationPage(user, id);
    if (!view) throw new NotFoundException(`no call ${id}`);
    response.setHeader('Cache-Control', 'no-store');
    return view;
  }
}
