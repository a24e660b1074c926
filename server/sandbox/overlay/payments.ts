import { createHash } from 'node:crypto';
import { SandboxError } from '../errors.js';
import { checkTransferRequest, newTransferInitiation, pickConnector, type Payment, type TransferInitiation, type TransferInitiationRequest } from '../payments.js';
import type { StagePayments } from '../services.js';
import type { Journal } from './journal.js';
import type { ReadSource } from './source.js';

/**
 * The payments service of a simulation: payments are read from the source; transfer initiations
 * are checked with the payments service's own rules and kept in memory (no PSP is called).
 */
export class OverlayPayments implements StagePayments {
  private readonly initiations = new Map<string, TransferInitiation>();
  private readonly payments = new Map<string, Payment>();

  constructor(
    private readonly source: ReadSource,
    private readonly journal: Journal,
  ) {}

  async getPayment(id: string): Promise<Payment> {
    let p = this.payments.get(id);
    if (!p) {
      p = await this.source.payment(id);
      this.payments.set(id, p);
    }
    return p;
  }

  async findTransferByReference(reference: string): Promise<TransferInitiation | null> {
    return this.initiations.get(reference) ?? (await this.source.transferByReference(reference));
  }

  async createTransferInitiation(req: TransferInitiationRequest): Promise<TransferInitiation> {
    checkTransferRequest(req);
    const connector = pickConnector(await this.source.connectors(), req);
    if (await this.findTransferByReference(req.reference)) {
      throw new SandboxError('CONFLICT', `transfer initiation with reference '${req.reference}' already exists`, 400);
    }
    // Simulated: no PSP runs, a validated initiation is shown as the PSP's work under way.
    const id = `simulated-${createHash('sha256').update(req.reference).digest('hex').slice(0, 16)}`;
    const initiation = newTransferInitiation(req, connector, id, req.validated ? 'PROCESSING' : 'WAITING_FOR_VALIDATION');
    this.initiations.set(req.reference, initiation);
    this.journal.push({ kind: 'transfer', initiation });
    return initiation;
  }
}
