import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDateString,
  IsIn,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '../../http/page-query.dto.js';
import { ROOM_KINDS } from '../../rooms/entities/room.entity.js';
import { SESSION_STATUSES, type SessionStatus } from '../entities/conversation-session.entity.js';

export const MAX_MESSAGES_PER_BATCH = 200;
export const MAX_MESSAGE_LENGTH = 20_000;

export class StartConversationDto {
  @ApiPropertyOptional({ description: 'rooms.id; without it the session has no room' })
  @IsOptional()
  @IsUUID()
  roomId?: string;

  @ApiPropertyOptional({ description: 'overrides the room agent' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'agentId may contain letters, digits, _ and - only' })
  agentId?: string;

  @ApiPropertyOptional({ enum: ROOM_KINDS, description: "defaults to the room's kind" })
  @IsOptional()
  @IsIn(ROOM_KINDS)
  sessionType?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown>;
}

export class ConversationMessageDto {
  @ApiProperty({ description: 'idempotency key within the conversation' })
  @IsString()
  @Length(1, 128)
  clientMessageId: string;

  @ApiProperty({ enum: ['user', 'agent'] })
  @IsIn(['user', 'agent'])
  role: 'user' | 'agent';

  @ApiProperty()
  @IsString()
  @Length(1, MAX_MESSAGE_LENGTH)
  message: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsNumber()
  @Min(0)
  timeInCallSecs?: number;
}

export class AddMessagesDto {
  @ApiProperty({ type: [ConversationMessageDto], maxItems: MAX_MESSAGES_PER_BATCH })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_MESSAGES_PER_BATCH)
  @ValidateNested({ each: true })
  @Type(() => ConversationMessageDto)
  messages: ConversationMessageDto[];
}

export class SetElevenLabsIdDto {
  @ApiProperty({ example: 'conv_01jzexample' })
  @IsString()
  @Length(1, 128)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'elevenlabsConversationId may contain letters, digits, _ and - only' })
  elevenlabsConversationId: string;
}

export class ListConversationsQuery extends PageQueryDto {
  @ApiPropertyOptional({ description: 'admin filter (users see their own only)' })
  @IsOptional()
  @IsUUID()
  roomId?: string;

  @ApiPropertyOptional({ description: 'admin only: users.id' })
  @IsOptional()
  @IsUUID()
  userId?: string;

  @ApiPropertyOptional({ enum: SESSION_STATUSES })
  @IsOptional()
  @IsIn(SESSION_STATUSES)
  status?: SessionStatus;

  @ApiPropertyOptional({ description: 'started at or after (ISO 8601)' })
  @IsOptional()
  @IsDateString()
  from?: string;

  @ApiPropertyOptional({ description: 'started before (ISO 8601)' })
  @IsOptional()
  @IsDateString()
  to?: string;
}
