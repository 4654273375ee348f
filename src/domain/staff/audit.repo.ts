/** The audit trail: who changed what in the admin, written in the same transaction as the change where possible. */
import type { DbTx } from '../../db/client.js';
import { communeIdOf } from '../../db/tenant.js';

export interface AuditEntry {
  who: string;
  action: string;
  entity: string;
  entityId?: string | number | null;
  detail?: Record<string, unknown>;
  /** The commune the line belongs to; default: the client's (a commune-scoped client). */
  communeId?: number;
}

export async function recordAudit(tx: DbTx, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({
    data: {
      communeId: entry.communeId ?? communeIdOf(tx),
      who: entry.who,
      action: entry.action,
      entity: entry.entity,
      entityId: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
      detail: (entry.detail ?? {}) as object,
    },
  });
}

export interface AuditRow {
  id: number;
  who: string;
  action: string;
  entity: string;
  entityId: string | null;
  detail: unknown;
  at: Date;
}

/** Most recent entries first, optionally for one entity. */
export async function listAudit(tx: DbTx, filter: { entity?: string; entityId?: string; take?: number } = {}): Promise<AuditRow[]> {
  return tx.auditLog.findMany({
    where: { ...(filter.entity ? { entity: filter.entity } : {}), ...(filter.entityId ? { entityId: filter.entityId } : {}) },
    orderBy: { id: 'desc' },
    take: filter.take ?? 100,
  });
}
