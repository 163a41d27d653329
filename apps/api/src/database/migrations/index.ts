import { InitialSchema1795330636898 } from './1795330636898-InitialSchema';
import { Messaging1795335289651 } from './1795335289651-Messaging';
import { ConversationActivityRequired1795337965944 } from './1795337965944-ConversationActivityRequired';
import { MessagingCore1795450586248 } from './1795450586248-MessagingCore';
import { QuickReplies1795457481828 } from './1795457481828-QuickReplies';
import { Campaigns1795465969652 } from './1795465969652-Campaigns';
import { ScheduledMessages1795465973030 } from './1795465973030-ScheduledMessages';
import { InsightsColumns1795550000000 } from './1795550000000-InsightsColumns';
import { Automation1795550100000 } from './1795550100000-Automation';
import { AnalyticsIndexes1795560000000 } from './1795560000000-AnalyticsIndexes';
import { AiSettings1795560100000 } from './1795560100000-AiSettings';
import { AiTriageIndex1795560100001 } from './1795560100001-AiTriageIndex';
import { AnalyticsRollups1795570000000 } from './1795570000000-AnalyticsRollups';
import { AnalyticsRollupIndexes1795570000001 } from './1795570000001-AnalyticsRollupIndexes';
import { PartnerWebhooks1795580000000 } from './1795580000000-PartnerWebhooks';
import { IdempotencyKeys1795580000001 } from './1795580000001-IdempotencyKeys';
import { OrgExports1795590000000 } from './1795590000000-OrgExports';
import { WabaTokenHealth1795590000001 } from './1795590000001-WabaTokenHealth';
import { OrgRetention1795590000002 } from './1795590000002-OrgRetention';
import { SealedIdempotencyResponses1795590000003 } from './1795590000003-SealedIdempotencyResponses';
import { HotDeliveryUpdates1795600000000 } from './1795600000000-HotDeliveryUpdates';
import { StaleHoursMarkedAt1795600000001 } from './1795600000001-StaleHoursMarkedAt';
import { CampaignReplyFlowIndex1795600000002 } from './1795600000002-CampaignReplyFlowIndex';
import { MessagesInConversationOrder1795600000003 } from './1795600000003-MessagesInConversationOrder';
import { RoomForStatusBursts1795600000004 } from './1795600000004-RoomForStatusBursts';

/** Every migration, in order. Add new ones here after `npm run migration:generate -- --name=<PascalName>`. */
export const MIGRATIONS = [
  InitialSchema1795330636898,
  Messaging1795335289651,
  ConversationActivityRequired1795337965944,
  MessagingCore1795450586248,
  QuickReplies1795457481828,
  Campaigns1795465969652,
  ScheduledMessages1795465973030,
  InsightsColumns1795550000000,
  Automation1795550100000,
  AnalyticsIndexes1795560000000,
  AiSettings1795560100000,
  AiTriageIndex1795560100001,
  AnalyticsRollups1795570000000,
  AnalyticsRollupIndexes1795570000001,
  PartnerWebhooks1795580000000,
  IdempotencyKeys1795580000001,
  OrgExports1795590000000,
  WabaTokenHealth1795590000001,
  OrgRetention1795590000002,
  SealedIdempotencyResponses1795590000003,
  HotDeliveryUpdates1795600000000,
  StaleHoursMarkedAt1795600000001,
  CampaignReplyFlowIndex1795600000002,
  MessagesInConversationOrder1795600000003,
  RoomForStatusBursts1795600000004,
];
