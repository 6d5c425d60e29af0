import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { WEBHOOK_EVENT_STATUSES, type WebhookEventStatus } from '../entities/webhook-event.entity.js';

export class WebhookEventsQueryDto {
  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_STATUSES })
  @IsOptional()
  @IsIn(WEBHOOK_EVENT_STATUSES)
  status?: WebhookEventStatus;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}
