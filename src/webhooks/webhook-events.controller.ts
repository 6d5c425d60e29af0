import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators.js';
import { WebhookEventsQueryDto } from './dto/webhook-events-query.dto.js';
import { toWebhookEventResponse } from './webhook-event.response.js';
import { WebhookEventProcessor } from './webhook-event.processor.js';
import { WebhookEventsService } from './webhook-events.service.js';

@ApiTags('webhooks')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/webhooks/events')
export class WebhookEventsController {
  constructor(
    private readonly events: WebhookEventsService,
    private readonly processor: WebhookEventProcessor,
  ) {}

  /** Stored deliveries, newest first (`?status=failed` for the ones that need attention). */
  @Get()
  list(@Query() query: WebhookEventsQueryDto) {
    return this.events.findPage(query);
  }

  /** Processes a failed event again now; answers with the event as it is afterwards. */
  @Post(':id/replay')
  @HttpCode(200)
  async replay(@Param('id', new ParseUUIDPipe()) id: string) {
    return toWebhookEventResponse(await this.processor.replay(id));
  }
}
