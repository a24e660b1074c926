import { Hono } from 'hono';
import type { EmbeddedContext } from '../../context.js';
import { consoleSandboxRoutes } from './console.js';
import { ledgerV1Routes, ledgerV2Routes } from './ledger.js';
import { paymentsRoutes } from './payments.js';
import { walletsRoutes } from './wallets.js';

/**
 * The sandbox services at the stack's own paths (mount at `/api`): ledger v2 before the v1
 * catch-all, wallets, payments, and the console's event/payment simulation endpoints.
 */
export function sandboxRoutes(ctx: EmbeddedContext): Hono {
  const app = new Hono({ strict: false });
  const { sandbox } = ctx;
  app.route('/ledger/v2', ledgerV2Routes(sandbox.ledger));
  app.route('/ledger', ledgerV1Routes(sandbox.ledger));
  app.route('/wallets', walletsRoutes(sandbox.wallets));
  app.route('/payments', paymentsRoutes(sandbox.payments));
  app.route('/console', consoleSandboxRoutes(ctx.db, ctx.bus, sandbox));
  return app;
}
