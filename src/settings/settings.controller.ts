import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators.js';
import { AgentSettingsDto } from './dto/agent-settings.dto.js';
import { SettingsService } from './settings.service.js';

@ApiTags('settings')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/settings')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Get('agent')
  getAgent() {
    return this.settings.getAgentSettings();
  }

  @Put('agent')
  putAgent(@Body() body: AgentSettingsDto) {
    return this.settings.updateAgentSettings(body);
  }
}
