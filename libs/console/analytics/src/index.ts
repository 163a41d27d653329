// Analytics: the dashboard of an org's traffic, delivery, conversations, AI triage, agents,
// templates and campaigns over a period, with CSV downloads.
export { AnalyticsPage } from './analytics.page';
