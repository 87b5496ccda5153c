/** Test reports and certificates: drafts, review, sign-off, issue and verification. */
export { reportRoutes } from './routes.ts';
export { reportJobHandlers } from './jobs.ts';
/** The CJK font files the report PDF embeds, for other modules' PDFs (lab statements). */
export { CJK_FONT_BOLD, CJK_FONT_REGULAR } from './pdf.ts';
