import { bookingJobHandlers } from '../modules/bookings/index.ts';
import { calibrationJobHandlers } from '../modules/calibration/index.ts';
import { eventJobHandlers } from '../modules/events/index.ts';
import { labJobHandlers } from '../modules/labs/index.ts';
import { invoiceJobHandlers } from '../modules/invoices/index.ts';
import { notificationJobHandlers } from '../modules/notifications/index.ts';
import { orderJobHandlers } from '../modules/orders/index.ts';
import { reconciliationJobHandlers } from '../modules/reconciliation/index.ts';
import { paymentJobHandlers } from '../modules/payments/index.ts';
import { platformFeeJobHandlers } from '../modules/platform-fees/index.ts';
import { reportJobHandlers } from '../modules/reports/index.ts';
import { statementJobHandlers } from '../modules/statements/index.ts';
import type { JobDeps, JobHandler } from './registry.ts';
import { relayJobHandlers } from './relay.ts';

/** The one list of handlers; the API (in-process mode) and the worker (BullMQ) both use it. */
export function createJobHandlers(deps: JobDeps): JobHandler[] {
  const clock = deps.clock ?? (() => new Date());
  return [
    ...orderJobHandlers(deps, clock),
    ...reportJobHandlers(deps, clock),
    ...calibrationJobHandlers(deps, clock),
    ...eventJobHandlers(deps, clock),
    ...relayJobHandlers(deps),
    ...bookingJobHandlers(deps, clock),
    ...notificationJobHandlers(deps, clock),
    ...labJobHandlers(deps),
    ...invoiceJobHandlers(deps, clock),
    ...statementJobHandlers(deps, clock),
    ...reconciliationJobHandlers(deps, clock),
    ...paymentJobHandlers(deps, clock),
    ...platformFeeJobHandlers(deps, clock),
  ];
}
