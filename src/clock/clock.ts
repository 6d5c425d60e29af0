import { Global, Injectable, Module } from '@nestjs/common';

/** The one source of "now", so tests can move time (style: services never call Date.now() directly). */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }

  nowMs(): number {
    return this.now().getTime();
  }
}

@Global()
@Module({ providers: [Clock], exports: [Clock] })
export class ClockModule {}
