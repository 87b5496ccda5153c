import type { Db } from '@qihub/db';
import type { PaymentProvider } from './port.ts';

/** What the payment use cases need: the database, "now", the processor (null: cards not offered), the web's URL. */
export interface PaymentDeps {
  db: Db;
  clock: () => Date;
  provider: PaymentProvider | null;
  webUrl: string;
}
