/** The commission form (委托单) as a document: the printable PDF and the signed, stamped scan. */
export { commissionFormRoutes } from './routes.ts';
