import type { Db } from '@qihub/db';

export interface AdmissionDeps {
  db: Db;
  clock: () => Date;
}
