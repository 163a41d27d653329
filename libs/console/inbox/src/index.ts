// The team inbox: conversation list, chat with composer and template picker, side panel.
export { InboxPage } from './inbox.page';
