import { z } from "zod";
import { ZPageQuery } from "@/lib/schemas/common";

export const ZAuditQuery = ZPageQuery.extend({
  /** Exact action ("ticket.create") or a prefix ending in "." ("ticket."). */
  action: z.string().trim().max(100).optional(),
  actor: z.string().trim().max(200).optional(),
  targetType: z.string().trim().max(50).optional(),
  targetId: z.string().trim().max(200).optional(),
  from: z.string().datetime({ offset: true }).optional(),
  to: z.string().datetime({ offset: true }).optional(),
});

export type TAuditQuery = z.infer<typeof ZAuditQuery>;

export type TAuditDto = {
  id: string;
  at: string;
  actorType: "user" | "token" | "rule" | "system";
  actorId: string | null;
  actorName: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  requestId: string | null;
};
