/** The double-entry ledger: one book per invoicing organisation; `post` inside the caller's transaction. */
export { ledgerRoutes } from './routes.ts';
export { post, UnbalancedJournal, type Journal, type Posting } from './post.ts';
export { ACCOUNTS, ACCOUNT_CODES, accountName, type AccountCode } from './accounts.ts';
export { balanceOf } from './repository.ts';
