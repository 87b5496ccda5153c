import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import { resilientRateLimitStore } from './plugins/rate-limit-store.ts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { createRequire } from 'node:module';
import { createMetrics } from './lib/metrics.ts';
import type { AppContext } from './app-context.ts';
import { Problem } from './lib/schema.ts';
import { admissionRoutes } from './modules/admission/index.ts';
import { statisticsRoutes } from './modules/statistics/index.ts';
import { apiTokenRoutes } from './modules/api-tokens/index.ts';
import { auditRoutes } from './modules/audit/index.ts';
import { authRoutes } from './modules/auth/index.ts';
import { availabilityRoutes } from './modules/availability/index.ts';
import { bookingRescheduleRoutes } from './modules/bookings/index.ts';
import { bookingRoutes } from './modules/bookings/index.ts';
import { bookingSeriesRoutes } from './modules/bookings/index.ts';
import { waitlistRoutes } from './modules/bookings/index.ts';
import { bookingOperatorRoutes } from './modules/bookings/index.ts';
import { calendarRoutes } from './modules/calendar/index.ts';
import { healthRoutes } from './modules/health/index.ts';
import { holidayRoutes } from './modules/holidays/index.ts';
import { instrumentPhotoRoutes, instrumentRoutes } from './modules/instruments/index.ts';
import { checkinRoutes } from './modules/checkin/index.ts';
import { labRoutes } from './modules/labs/index.ts';
import { qualificationScanRoutes } from './modules/qualification-scans/index.ts';
import { labSettingsRoutes } from './modules/lab-settings/index.ts';
import { referenceDataRoutes } from './modules/reference-data/index.ts';
import { notificationRoutes } from './modules/notifications/index.ts';
import { caseRoutes } from './modules/cases/index.ts';
import { serviceRoutes } from './modules/services/index.ts';
import { trainingAndViolationsRoutes } from './modules/training-and-violations/index.ts';
import { assistanceRoutes } from './modules/assistance/index.ts';
import { calibrationRoutes } from './modules/calibration/index.ts';
import { conversationRoutes } from './modules/conversation/index.ts';
import { eventRoutes } from './modules/events/index.ts';
import { officerRoutes } from './modules/officers/index.ts';
import { custodyRoutes, orderRoutes } from './modules/orders/index.ts';
import { commissionFormRoutes } from './modules/commission-forms/index.ts';
import { reportRoutes } from './modules/reports/index.ts';
import { invoiceRoutes } from './modules/invoices/index.ts';
import { ledgerRoutes } from './modules/ledger/index.ts';
import { voucherRoutes } from './modules/vouchers/index.ts';
import { bankStatementRoutes } from './modules/bank-statements/index.ts';
import { fapiaoRoutes } from './modules/fapiao/index.ts';
import { reconciliationRoutes } from './modules/reconciliation/index.ts';
import { efficiencyRoutes } from './modules/efficiency/index.ts';
import { statementRoutes } from './modules/statements/index.ts';
import { paymentRoutes } from './modules/payments/index.ts';
import { platformFeeRoutes } from './modules/platform-fees/index.ts';
import { todayRoutes } from './modules/today/index.ts';
import { registerAuth } from './plugins/auth.ts';
import { registerDocs } from './plugins/docs.ts';
import { registerErrorHandling } from './plugins/errors.ts';
import { registerMetrics } from './plugins/metrics.ts';
import { registerQueueBoard } from './plugins/queue-board.ts';
import { registerValidation } from './plugins/validation.ts';

export interface BuildOptions {
  logger?: boolean | object;
}

/** Readable lines for a person at a terminal (development); JSON lines for machines otherwise. */
function loggerOptions(ctx: AppContext) {
  if (!ctx.config.logPretty) return { level: ctx.config.logLevel };
  // Resolved here, beside the API's own dependencies (pino would look beside itself).
  const target = createRequire(import.meta.url).resolve('pino-pretty');
  return {
    level: ctx.config.logLevel,
    transport: { target, options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } },
  };
}

export async function buildApp(ctx: AppContext, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? loggerOptions(ctx),
    trustProxy: ctx.config.trustProxy,
    bodyLimit: 1024 * 1024,
    // While closing, a request that still arrives on an open connection is served (with
    // `Connection: close`), not refused with a 503: the caller's request was accepted, so it is
    // answered; the load balancer has stopped sending new ones during the drain (server.ts).
    return503OnClosing: false,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('ctx', ctx);
  app.decorate('lifecycle', { draining: false });
  const metrics = createMetrics('api');
  metrics.watch({ db: ctx.db, queue: ctx.queue?.queue ?? null });
  app.decorate('metrics', metrics);
  // While draining, every answer closes its connection, so that no client keeps an idle
  // keep-alive connection that the final close would cut under its next request.
  app.addHook('onSend', async (_request, reply) => {
    if (app.lifecycle.draining) reply.header('connection', 'close');
  });
  app.addSchema(Problem);
  registerErrorHandling(app);
  registerValidation(app);
  registerMetrics(app, metrics);

  await app.register(cookie);
  await app.register(helmet, {
    // Swagger UI needs inline styles and scripts on /docs; everything else is JSON.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
      },
    },
  });
  // Closed by default: only origins listed in CORS_ORIGINS may call the API from a browser.
  await app.register(cors, {
    origin: ctx.config.corsOrigins.length > 0 ? ctx.config.corsOrigins : false,
    credentials: true,
  });
  await app.register(rateLimit, {
    global: false,
    // Shared across API replicas through Redis; while Redis is down, each process counts on its own
    // (a limit that is skipped is no limit, and one that fails would lock everyone out).
    ...(ctx.redis
      ? {
          store: resilientRateLimitStore(ctx.redis, `${ctx.config.queuePrefix}:rl:`, (err) =>
            app.log.warn({ err }, 'Redis unavailable: rate limits count in this process until it is back'),
          ),
        }
      : {}),
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      code: 'rate_limited',
      message: `Retry in ${context.after}`,
    }),
  });
  registerAuth(app);
  await registerDocs(app);

  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(instrumentRoutes);
  await app.register(instrumentPhotoRoutes);
  await app.register(serviceRoutes);
  await app.register(labRoutes);
  await app.register(qualificationScanRoutes);
  await app.register(referenceDataRoutes);
  await app.register(apiTokenRoutes);
  await app.register(admissionRoutes);
  await app.register(statisticsRoutes);
  await app.register(bookingRoutes);
  await app.register(bookingRescheduleRoutes);
  await app.register(bookingSeriesRoutes);
  await app.register(waitlistRoutes);
  await app.register(bookingOperatorRoutes);
  await app.register(checkinRoutes);
  await app.register(invoiceRoutes);
  await app.register(ledgerRoutes);
  await app.register(voucherRoutes);
  await app.register(bankStatementRoutes);
  await app.register(fapiaoRoutes);
  await app.register(statementRoutes);
  await app.register(reconciliationRoutes);
  await app.register(efficiencyRoutes);
  await app.register(paymentRoutes);
  await app.register(platformFeeRoutes);
  await app.register(todayRoutes);
  await app.register(availabilityRoutes);
  await app.register(labSettingsRoutes);
  await app.register(notificationRoutes);
  await app.register(caseRoutes);
  await app.register(calendarRoutes);
  await app.register(trainingAndViolationsRoutes);
  await app.register(orderRoutes);
  await app.register(custodyRoutes);
  await app.register(commissionFormRoutes);
  await app.register(reportRoutes);
  await app.register(conversationRoutes);
  await app.register(calibrationRoutes);
  await app.register(assistanceRoutes);
  await app.register(eventRoutes);
  await app.register(officerRoutes);
  await app.register(auditRoutes);
  await app.register(holidayRoutes);
  if (ctx.queue) await registerQueueBoard(app, [ctx.queue.queue]);

  return app;
}
