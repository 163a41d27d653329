import { Module } from '@nestjs/common';
import { PresenceService } from './presence.service';
import { DEFAULT_REALTIME_OPTIONS, REALTIME_OPTIONS } from './realtime-options';

/** Presence alone, without the gateway: what the worker imports to find online agents. */
@Module({
  providers: [{ provide: REALTIME_OPTIONS, useValue: DEFAULT_REALTIME_OPTIONS }, PresenceService],
  exports: [REALTIME_OPTIONS, PresenceService],
})
export class PresenceModule {}
