import { Injectable } from '@nestjs/common';

/** Dispatches due callbacks and check-ins (filled in next). */
@Injectable()
export class CallDispatcher {
  nudge(): void {}
}
