// The keyset query of one page of the ServiceNow ingest (servicenow-ingest.ts explains why keyset).
import { formatServiceNowDateTime } from "@/lib/servicenow/dates";
import { q } from "@/lib/servicenow/query";

export type PageCursor = { updatedOn: string; sysId: string };

/** Our records after `cursor` in (sys_updated_on, sys_id) order, or from `since` for the first page. */
export function pageQuery(prefix: string, since: Date | null, cursor: PageCursor | null) {
  const ours = `${prefix}:`;
  const query = q();
  if (cursor) {
    query.startsWith("correlation_id", ours).gt("sys_updated_on", cursor.updatedOn);
    query.newQuery().startsWith("correlation_id", ours).eq("sys_updated_on", cursor.updatedOn).gt("sys_id", cursor.sysId);
  } else {
    query.startsWith("correlation_id", ours);
    if (since) query.gte("sys_updated_on", formatServiceNowDateTime(since));
  }
  return query.orderBy("sys_updated_on").orderBy("sys_id");
}
