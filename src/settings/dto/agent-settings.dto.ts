import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';

export class AgentSettingsDto {
  @ApiPropertyOptional({ example: 'agent_01jzexample', nullable: true, description: 'null clears it (falls back to ELEVENLABS_AGENT_ID)' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'agentId may contain letters, digits, _ and - only' })
  agentId?: string | null;

  @ApiPropertyOptional({ example: 'phnum_01jzexample', nullable: true, description: 'null clears it (falls back to ELEVENLABS_PHONE_NUMBER_ID)' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'phoneNumberId may contain letters, digits, _ and - only' })
  phoneNumberId?: string | null;
}

export interface AgentSettingsResponse {
  agentId: string | null;
  phoneNumberId: string | null;
  /** Where each effective value comes from. */
  source: { agentId: 'settings' | 'environment' | 'unset'; phoneNumberId: 'settings' | 'environment' | 'unset' };
}
