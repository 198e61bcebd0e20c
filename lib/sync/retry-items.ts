import "server-only";

// Items a run could not finish (a record it could not store, a ticket it could not resolve, a rule's
// ticket it could not create): kept in SyncRetryItem so the next run tries them again and the history
// page can show what is pending. An item that later succeeds — or no longer needs doing — is dropped.
import { db } from "@/lib/db";
import { retryScope, type RetryEntity } from "./retry-items-sql";
export { retryScope, recordRetryItem, type RetryEntity } from "./retry-items-sql";

export async function clearRetryItems(connectionId: string, entityType: RetryEntity, entityIds: string[]): Promise<void> {
  if (entityIds.length === 0) return;
  await db().syncRetryItem.deleteMany({ where: { scope: retryScope(connectionId), entityType, entityId: { in: entityIds } } });
}

export async function retryItemsOf(connectionId: string, entityType: RetryEntity): Promise<Array<{ entityId: string; attempts: number }>> {
  return db().syncRetryItem.findMany({
    where: { scope: retryScope(connectionId), entityType },
    select: { entityId: true, attempts: true },
    orderBy: { createdAt: "asc" },
  });
}

export async function countRetryItems(connectionId: string): Promise<number> {
  return db().syncRetryItem.count({ where: { scope: retryScope(connectionId) } });
}
