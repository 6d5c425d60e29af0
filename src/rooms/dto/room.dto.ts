import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Length, Matches, MaxLength, ValidateIf } from 'class-validator';
import { PageQueryDto } from '../../http/page-query.dto.js';
import { ROOM_KINDS, type Room, type RoomKind } from '../entities/room.entity.js';

export class CreateRoomDto {
  @ApiProperty({ example: 'sleep-better', description: 'lowercase letters, digits and -, 2 to 64 characters; unique' })
  @IsString()
  @Matches(/^[a-z0-9-]{2,64}$/, { message: 'slug must be 2 to 64 characters of a-z, 0-9 and -' })
  slug: string;

  @ApiProperty({ example: 'Sleep better' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiPropertyOptional({ example: 'Evening routines and rest.' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string;

  @ApiPropertyOptional({ enum: ROOM_KINDS, default: 'coaching' })
  @IsOptional()
  @IsIn(ROOM_KINDS)
  kind?: RoomKind;

  @ApiPropertyOptional({ example: 'agent_01jzexample', nullable: true, description: 'null: the agent setting, else ELEVENLABS_AGENT_ID' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @Length(1, 128)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'agentId may contain letters, digits, _ and - only' })
  agentId?: string | null;

  @ApiPropertyOptional({ default: false, description: 'the agent has authentication enabled: the page uses a signed URL' })
  @IsOptional()
  @IsBoolean()
  requiresAuth?: boolean;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(200)
  coachingStyle?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(2000)
  firstMessage?: string | null;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  isActive?: boolean;
}

export class UpdateRoomDto extends PartialType(CreateRoomDto) {}

export class ListRoomsQuery extends PageQueryDto {}

export interface RoomResponse {
  id: string;
  slug: string;
  name: string;
  description: string;
  kind: RoomKind;
  agentId: string | null;
  requiresAuth: boolean;
  coachingStyle: string | null;
  firstMessage: string | null;
  isActive: boolean;
  createdAt: string;
  updatedAt: string;
}

export function toRoomResponse(room: Room): RoomResponse {
  return {
    id: room.id,
    slug: room.slug,
    name: room.name,
    description: room.description,
    kind: room.kind,
    agentId: room.agentId,
    requiresAuth: room.requiresAuth,
    coachingStyle: room.coachingStyle,
    firstMessage: room.firstMessage,
    isActive: room.isActive,
    createdAt: room.createdAt.toISOString(),
    updatedAt: room.updatedAt.toISOString(),
  };
}
