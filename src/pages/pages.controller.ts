import { Controller, Get, Inject, Param, Render, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser } from '../auth/auth.decorators.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { User } from '../users/entities/user.entity.js';
import { roomPageCsp } from './room-page-csp.js';
import { RoomPageService } from './room-page.service.js';

/** The pages people open: their rooms (`/`) and a room with the voice widget (`/rooms/:slug`). */
@ApiExcludeController()
@Controller()
export class PagesController {
  private readonly csp: string;

  constructor(
    private readonly pages: RoomPageService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.csp = roomPageCsp(config.widgetScriptUrl);
  }

  @Get()
  @Render('home')
  home(@CurrentUser() user: User) {
    return this.pages.home(user);
  }

  @Get('rooms/:slug')
  @Render('room-client')
  async room(@CurrentUser() user: User, @Param('slug') slug: string, @Res({ passthrough: true }) response: Response) {
    const view = await this.pages.room(user, slug);
    response.setHeader('Content-Security-Policy', this.csp);
    response.setHeader('Cache-Control', 'no-store');
    return view;
  }
}
