// Campaigns: the list, the builder (template, parameter mapping, audience with a live count,
// schedule) and the live detail page (funnel, controls, recipients).
export { CampaignBuilderPage } from './campaign-builder.page';
export { CampaignDetailPage } from './campaign-detail.page';
export { CampaignsPage } from './campaigns.page';
