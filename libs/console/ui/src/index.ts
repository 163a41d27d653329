// Small presentational pieces shared by the console's pages.
export * from './brand';
export * from './confirm-dialog';
export * from './icon';
export * from './initials';
export * from './pager';
