// Settings: WhatsApp accounts (onboarding), the team and its invitations, quick replies.
export { QuickRepliesPage } from './quick-replies.page';
export { TeamPage } from './team.page';
export { WhatsAppPage } from './whatsapp.page';
