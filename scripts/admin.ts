// npm run admin -- <command> — operations from the command line (bootstrapping, key rotation).
//   create-token --role admin|analyst|manager --owner EMAIL [--name NAME] [--days N]   prints a new API token once
//     (the owner is the person the token acts for; they must have signed in once and hold the role)
//   revoke-token <id>
//   rotate-secrets      re-encrypts every stored secret with the current ENCRYPTION_KEY
import { parseArgs } from "node:util";
import { withDatabase } from "@/scripts/lib/database";

const USAGE = `usage: npm run admin -- create-token --role admin|analyst|manager --owner EMAIL [--name NAME] [--days N]
       npm run admin -- revoke-token <id>
       npm run admin -- rotate-secrets`;

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  if (command === "create-token") {
    const { values } = parseArgs({
      args: rest,
      options: { role: { type: "string" }, owner: { type: "string" }, name: { type: "string" }, days: { type: "string" } },
    });
    const role = values.role?.toUpperCase();
    if (role !== "ADMIN" && role !== "ANALYST" && role !== "MANAGER") throw new Error(`--role must be admin, analyst or manager\n${USAGE}`);
    const days = Number(values.days ?? 90);
    if (!Number.isInteger(days) || days < 1 || days > 365) throw new Error("--days must be a whole number from 1 to 365");
    if (!values.owner) throw new Error(`--owner must name the person (email) the token acts for\n${USAGE}`);
    const ownerEmail = values.owner;
    await withDatabase(async () => {
      const { createApiToken } = await import("@/lib/tokens/tokens");
      const { db } = await import("@/lib/db");
      const owners = await db().user.findMany({ where: { email: { equals: ownerEmail, mode: "insensitive" } }, select: { id: true } });
      if (owners.length !== 1)
        throw new Error(
          owners.length
            ? `${ownerEmail} names ${owners.length} people; ask for the one you mean by their sign-in`
            : `Nobody with the email ${ownerEmail} has signed in yet`,
        );
      const { token, item } = await createApiToken(
        { type: "system", id: null, name: `admin CLI (${process.env.USER ?? "unknown user"})` },
        { name: values.name ?? `cli-${role.toLowerCase()}-${new Date().toISOString().slice(0, 10)}`, role, expiresInDays: days },
        { ownerId: owners[0].id },
      );
      process.stderr.write(`Created API token "${item.name}" (${item.role}, expires ${item.expiresAt}). It is shown only once:\n`);
      process.stdout.write(`${token}\n`);
    });
    return;
  }
  if (command === "revoke-token") {
    const id = rest[0];
    if (!id) throw new Error(USAGE);
    await withDatabase(async () => {
      const { db } = await import("@/lib/db");
      const { audit } = await import("@/lib/audit/audit");
      const row = await db().apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
      await audit({
        actor: { type: "system", id: null, name: "admin CLI" },
        action: "token.revoke",
        targetType: "api_token",
        targetId: row.id,
      });
      process.stdout.write(`Revoked "${row.name}".\n`);
    });
    return;
  }
  if (command === "rotate-secrets") {
    await withDatabase(async () => {
      const { rotateSecrets } = await import("@/lib/crypto/rotate");
      const count = await rotateSecrets();
      process.stdout.write(`Re-encrypted ${count} secret(s) with the current ENCRYPTION_KEY.\n`);
    });
    return;
  }
  throw new Error(USAGE);
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  },
);
