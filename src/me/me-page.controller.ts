import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Render, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import type { Response } from 'express';
import { CurrentUser } from '../auth/auth.decorators.js';
import type { User } from '../users/entities/user.entity.js';
import { MePageService } from './me-page.service.js';
import { SameOriginGuard } from './same-origin.guard.js';

/** The action-item form: `done=true` marks it done, `done=false` opens it again. */
export class ActionItemFormDto {
  @IsIn(['true', 'false'], { message: 'done must be "true" or "false"' })
  done: 'true' | 'false';
}

/** `/me`, the person's progress page (cookie sign-in like the other pages). */
@ApiExcludeController()
@Controller('me')
export class MePageController {
  constructor(private readonly me: MePageService) {}

  @Get()
  @Render('me')
  async page(@CurrentUser() user: User, @Res({ passthrough: true }) response: Response) {
    response.setHeader('Cache-Control', 'no-store');
    // helmet's `no-referrer` makes browsers send `Origin: null` with the page's form POSTs; `same-origin` lets them
    // send our own origin (the CSRF check needs it) and still gives other sites nothing.
    response.setHeader('Referrer-Policy', 'same-origin');
    return this.me.page(user);
  }

  /** A plain form POST (the page script only sends the form when the box is ticked); back to /me afterwards. */
  @Post('action-items/:id')
  @HttpCode(303)
  @UseGuards(SameOriginGuard)
  async setActionItem(
    @CurrentUser() user: User,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ActionItemFormDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    await this.me.setActionItemDone(user, id, body.done === 'true');
    response.setHeader('Location', `/me#action-items`);
  }
}
