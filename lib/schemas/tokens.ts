import { z } from "zod";

export const ZCreateToken = z
  .object({
    name: z.string().trim().min(1, "is required").max(100),
    role: z.enum(["ADMIN", "ANALYST", "MANAGER"]),
    /** Days until the token expires (1–365). */
    expiresInDays: z.number().int().min(1).max(365).default(90),
  })
  .strict();

export type TCreateToken = z.input<typeof ZCreateToken>;

export type TApiTokenDto = {
  id: string;
  name: string;
  role: "ADMIN" | "ANALYST" | "MANAGER";
  prefix: string;
  createdAt: string;
  createdBy: string | null;
  expiresAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  status: "active" | "expired" | "revoked";
};
