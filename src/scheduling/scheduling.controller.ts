import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import type { User } from '../users/entities/user.entity.js';
import { CallbacksService } from './callbacks.service.js';
import { CheckInsService } from './check-ins.service.js';
import { CreateCallbackDto, CreateCheckInDto, ListTasksQuery, TriggerCallDto, UpdateCallbackDto, UpdateCheckInDto } from './dto/scheduling.dto.js';

/** Admins manage every callback; anyone else only their own (another person's id answers 404). */
@ApiTags('scheduling')
@ApiBearerAuth()
@Controller('api/callbacks')
export class CallbacksController {
  constructor(private readonly callbacks: CallbacksService) {}

  @Post()
  create(@CurrentUser() user: User, @Body() body: CreateCallbackDto) {
    return this.callbacks.createFor(user, body);
  }

  @Get()
  list(@CurrentUser() user: User, @Query() query: ListTasksQuery) {
    return this.callbacks.list(user, query);
  }

  @Get(':id')
  get(@CurrentUser() user: User, @Param('id', ParseUUIDPipe) id: string) {
    return this.callbacks.get(user, id);
  }

  @Get(':id/attempts')
  attempts(@CurrentUser() user: User, @Param('id', ParseUUIDPipe) id: string) {
    return this.callbacks.attempts(user, id);
  }

  @Patch(':id')
  update(@CurrentUser() user: User, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateCallbackDto) {
    return this.callbacks.update(user, id, body);
  }

  /** Cancels a pending callback (kept, status `cancelled`); 409 once it is being dialled. */
  @Delete(':id')
  cancel(@CurrentUser() user: User, @Param('id', ParseUUIDPipe) id: string) {
    return this.callbacks.cancel(user, id);
  }

  /** A failed callback gets one more attempt (the dashboard's retry button). */
  @Post(':id/retry')
  @Roles('admin')
  @HttpCode(200)
  retry(@Param('id', ParseUUIDPipe) id: string) {
    return this.callbacks.retry(id);
  }
}

@ApiTags('scheduling')
@ApiBearerAuth()
@Controller('api/check-ins')
export class CheckInsController {
  constructor(private readonly checkIns: CheckInsService) {}

  @Post()
  create(@CurrentUser() user: User, @Body() body: CreateCheckInDto) {
    return this.checkIns.create(user, body);
  }

  @Get()
  list(@CurrentUser() user: User, @Query() query: ListTasksQuery) {
    return this.checkIns.list(user, query);
  }

  @Get(':id')
  get(@CurrentUser() user: User, @Param('id', ParseUUIDPipe) id: string) {
    return this.checkIns.get(user, id);
  }

  @Patch(':id')
  update(@CurrentUser() user: User, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateCheckInDto) {
    return this.checkIns.update(user, id, body);
  }

  @Delete(':id')
  cancel(@CurrentUser() user: User, @Param('id', ParseUUIDPipe) id: string) {
    return this.checkIns.cancel(user, id);
  }
}

@ApiTags('scheduling')
@ApiBearerAuth()
@Controller('api/calls/trigger')
export class CallTriggerController {
  constructor(private readonly callbacks: CallbacksService) {}

  /** Call now: a callback due now with one attempt, dispatched like any other (call window included). */
  @Post()
  trigger(@CurrentUser() user: User, @Body() body: TriggerCallDto) {
    return this.callbacks.triggerCall(user, body);
  }
}
