import { AiSettings } from '@parley/api/ai';
import { ApiKey } from '@parley/api/api-keys';
import { AuditLog } from '@parley/api/audit';
import { AuthSession, RefreshToken } from '@parley/api/auth';
import { AutomationRule, AutomationRun, Flow, FlowEnrollment } from '@parley/api/automation';
import { Campaign, CampaignRecipient } from '@parley/api/campaigns';
import { Contact } from '@parley/api/contacts';
import { Conversation, Message, MessageStatusEvent, Note } from '@parley/api/conversations';
import { Media } from '@parley/api/media';
import { Invitation, Membership, Organization } from '@parley/api/organizations';
import { QuickReply } from '@parley/api/quick-replies';
import { ScheduledMessage } from '@parley/api/scheduled-messages';
import { User } from '@parley/api/users';
import { Template } from '@parley/api/templates';
import { PhoneNumber, WabaAccount } from '@parley/api/waba-accounts';
import { WebhookEvent } from '@parley/api/webhooks';
import { WebhookDelivery, WebhookDeliveryAttempt, WebhookSubscription } from '@parley/api/partner-webhooks';
import { OrgExport } from '@parley/api/org-exports';

/** Every entity, listed explicitly so the bundle needs no file globs. */
export const ENTITIES = [
  User,
  AuthSession,
  RefreshToken,
  Organization,
  Membership,
  Invitation,
  ApiKey,
  WabaAccount,
  PhoneNumber,
  AuditLog,
  Contact,
  Conversation,
  Message,
  MessageStatusEvent,
  WebhookEvent,
  Media,
  Note,
  Template,
  QuickReply,
  Campaign,
  CampaignRecipient,
  ScheduledMessage,
  AutomationRule,
  AutomationRun,
  Flow,
  FlowEnrollment,
  AiSettings,
  WebhookSubscription,
  WebhookDelivery,
  WebhookDeliveryAttempt,
  OrgExport,
];
