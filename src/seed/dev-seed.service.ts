import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { Room } from '../rooms/entities/room.entity.js';
import { User } from '../users/entities/user.entity.js';

export const DEMO_USER = { externalId: 'demo', displayName: 'Demo Person', role: 'user' as const };
export const DEMO_ADMIN = { externalId: 'admin', displayName: 'Demo Admin', role: 'admin' as const };
export const WELCOME_ROOM = {
  slug: 'welcome',
  name: 'Welcome',
  description: 'Meet your coach: a first conversation about what you want to work on.',
  kind: 'goal_discovery' as const,
};
/** One room of each kind, so onboarding can lead a new person through all three (the welcome room is the first). */
export const SEED_ROOMS = [
  WELCOME_ROOM,
  {
    slug: 'coaching-style',
    name: 'Your coaching style',
    description: 'A short conversation about how you like to be coached: gentle or direct, questions or suggestions.',
    kind: 'coaching_style_discovery' as const,
  },
  {
    slug: 'coaching',
    name: 'Coaching session',
    description: 'Regular coaching: progress on your goals and the next small steps.',
    kind: 'coaching' as const,
  },
];

/** Outside production: one room of each kind (`welcome` first), a demo user and an admin, created once (idempotent). */
@Injectable()
export class DevSeedService {
  private readonly logger = new Logger(DevSeedService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectRepository(Room) private readonly rooms: Repository<Room>,
    @InjectRepository(User) private readonly users: Repository<User>,
  ) {}

  async seed(): Promise<void> {
    if (this.config.isProduction) return;
    const created: string[] = [];
    for (const person of [DEMO_USER, DEMO_ADMIN]) {
      const result = await this.users.createQueryBuilder().insert().values(person).orIgnore().returning('id').execute();
      if (result.raw.length) created.push(`user ${person.externalId}`);
    }
    for (const seedRoom of SEED_ROOMS) {
      const room = await this.rooms.createQueryBuilder().insert().values(seedRoom).orIgnore().returning('id').execute();
      if (room.raw.length) created.push(`room ${seedRoom.slug}`);
    }
    if (created.length) this.logger.log(`seeded ${created.join(', ')}`);
  }
}
