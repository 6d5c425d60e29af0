import { Module } from '@nestjs/common';
import { RoomsModule } from '../rooms/rooms.module.js';
import { UsersModule } from '../users/users.module.js';
import { DevSeedService } from './dev-seed.service.js';

@Module({
  imports: [RoomsModule, UsersModule],
  providers: [DevSeedService],
  exports: [DevSeedService],
})
export class SeedModule {}
