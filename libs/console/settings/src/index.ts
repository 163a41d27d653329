// Settings: WhatsApp accounts (onboarding), the team and its invitations, API keys, partner webhooks,
// quick replies, business hours, AI triage, the audit log, privacy (retention and the full export).
export { BusinessHoursPage } from './business-hours.page';
export { AiSettingsPage } from './ai.page';
export { QuickRepliesPage } from './quick-replies.page';
export { TeamPage } from './team.page';
export { WhatsAppPage } from './whatsapp.page';
export { ApiKeysPage } from './api-keys.page';
export { WebhooksPage } from './webhooks.page';
export { AuditLogPage } from './audit-log.page';
export { PrivacyPage } from './privacy.page';
