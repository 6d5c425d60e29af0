import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Clock } from '../clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { AgentSettingsDto, AgentSettingsResponse } from './dto/agent-settings.dto.js';
import { Setting } from './entities/setting.entity.js';

const AGENT_KEY = 'agent';
/** Read on every room page and conversation start; a change made on another instance shows after this long. */
export const AGENT_SETTINGS_CACHE_MS = 5000;

interface StoredAgentSettings {
  agent_id?: string | null;
  phone_number_id?: string | null;
}

/** Agent configuration: values stored in the settings table win over the environment. */
@Injectable()
export class SettingsService {
  private cached: { stored: Promise<StoredAgentSettings>; until: number } | undefined;

  constructor(
    @InjectRepository(Setting) private readonly settings: Repository<Setting>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async getAgentSettings(): Promise<AgentSettingsResponse> {
    const stored = await this.storedAgentSettings();
    const pick = (own: string | null | undefined, fallback: string | undefined) =>
      own ? { value: own, source: 'settings' as const } : fallback ? { value: fallback, source: 'environment' as const } : { value: null, source: 'unset' as const };
    const agent = pick(stored.agent_id, this.config.elevenlabs.agentId);
    const phone = pick(stored.phone_number_id, this.config.elevenlabs.phoneNumberId);
    return { agentId: agent.value, phoneNumberId: phone.value, source: { agentId: agent.source, phoneNumberId: phone.source } };
  }

  private storedAgentSettings(): Promise<StoredAgentSettings> {
    const now = this.clock.nowMs();
    if (!this.cached || this.cached.until <= now) {
      const stored = this.settings.findOneBy({ key: AGENT_KEY }).then((row) => (row?.value ?? {}) as StoredAgentSettings);
      this.cached = { stored, until: now + AGENT_SETTINGS_CACHE_MS };
      stored.catch(() => (this.cached = undefined)); // never cache a failed read
    }
    return this.cached.stored;
  }

  /** Fields left out keep their stored value; null clears one. */
  async updateAgentSettings(update: AgentSettingsDto): Promise<AgentSettingsResponse> {
    await this.settings.manager.transaction(async (manager) => {
      const repository = manager.getRepository(Setting);
      const current = await repository.findOne({ where: { key: AGENT_KEY }, lock: { mode: 'pessimistic_write' } });
      const value: StoredAgentSettings = { ...((current?.value ?? {}) as StoredAgentSettings) };
      if (update.agentId !== undefined) value.agent_id = update.agentId;
      if (update.phoneNumberId !== undefined) value.phone_number_id = update.phoneNumberId;
      await repository.save({ key: AGENT_KEY, value: value as Record<string, unknown> });
    });
    this.cached = undefined;
    return this.getAgentSettings();
  }
}
