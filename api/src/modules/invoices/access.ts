import type { Invoice } from '@qihub/db';
import type { Actor } from '../../lib/actor.ts';

/** Organisations whose own invoices (as issuer) the actor sees: its labs' managers and staff, its platforms' admins. */
export function issuerOrgs(a: Actor): string[] {
  return a.memberships
    .filter(
      (m) =>
        (m.orgKind === 'lab' && (m.role === 'manager' || m.role === 'staff')) ||
        (m.orgKind === 'platform' && m.role === 'admin'),
    )
    .map((m) => m.orgId);
}

/** Organisations whose bills (as customer) the actor sees: any member of the organisation. */
export function customerOrgs(a: Actor): string[] {
  return a.memberships.map((m) => m.orgId);
}

export function canSeeInvoice(a: Actor, inv: Pick<Invoice, 'labId' | 'customerOrgId'>): boolean {
  return issuerOrgs(a).includes(inv.labId) || customerOrgs(a).includes(inv.customerOrgId);
}

export function isIssuer(a: Actor, labId: string): boolean {
  return issuerOrgs(a).includes(labId);
}
