// The console's foundation: the session and its tokens, API errors, realtime, guards, the title.
export * from './auth.interceptor';
export * from './cursor-pager';
export * from './errors';
export * from './guards';
export * from './session';
export * from './title';
export * from './token-health';
