import "server-only";

// "Test connection" of an Azure tenant: checks, in order, that both endpoints may be called, that MSAL
// gets a token with the client credentials, which subscriptions the service principal sees (stored as
// the connection's discovered subscriptions), that Defender's assessments can be read in each included
// subscription (Security Reader), and whether Resource Graph answers (the bulk path). One step per
// check, each with a message that says what to fix; a failed check is a result, not an HTTP error.
import { type Actor } from "@/lib/auth/actor";
import { type AzureClient } from "@/lib/azure/client";
import { assertRole } from "@/lib/auth/authorize";
import { db } from "@/lib/db";
import { AppError } from "@/lib/http/errors";
import { type TAzureTestResult, type TAzureTestStep } from "@/lib/schemas/azure-tenants";
import { assertTenantEndpointsAllowed, azureClientFor, WITH_TENANT_SECRET } from "./client";
import { toSubscriptionDto } from "./dto";
import { describeAzureFailure, explainTokenFailure } from "./failure";
import { recordSubscriptions } from "./subscriptions";

/** Checked one by one in a test: the first few included subscriptions are enough to show a missing role. */
const MAX_CHECKED_SUBSCRIPTIONS = 5;

export async function testAzureTenant(actor: Actor, id: string): Promise<TAzureTestResult> {
  assertRole(actor, "analyst", "Testing an Azure tenant connection");
  const tenant = await db().azureTenant.findUnique({ where: { id }, omit: WITH_TENANT_SECRET });
  if (!tenant) throw new AppError("NOT_FOUND", { message: "No such Azure tenant connection" });
  if (tenant.deletedAt) throw new AppError("CONFLICT", { message: "This Azure tenant connection is archived" });

  const started = performance.now();
  const steps: TAzureTestStep[] = [];
  let subscriptions: TAzureTestResult["subscriptions"] = [];
  const add = (step: TAzureTestStep) => steps.push(step);
  const finish = (): TAzureTestResult => ({
    isOk: steps.every((s) => s.status !== "failed"),
    testedAt: new Date().toISOString(),
    durationMs: Math.round(performance.now() - started),
    steps,
    subscriptions,
  });
  const describe = (error: unknown) => describeAzureFailure(error, tenant);

  try {
    await assertTenantEndpointsAllowed(tenant);
    add({ id: "address", label: "Endpoints", status: "ok", message: `${tenant.authorityHost} and ${tenant.armEndpoint} may be called.` });
  } catch (error) {
    add({ id: "address", label: "Endpoints", status: "failed", message: describe(error).message });
    return finish();
  }

  // A test should answer within seconds: short timeouts, one retry, no long throttling waits.
  let client: AzureClient;
  try {
    client = await azureClientFor(tenant, {
      timeoutMs: 10_000,
      retry: { maxRetries: 1, retryDelayInMs: 300, maxRetryDelayInMs: 2_000 },
      throttle: { maxRetries: 0, baseDelayMs: 500, maxDelayMs: 500 },
    });
    await client.credential.getToken(client.armScope);
    add({
      id: "token",
      label: "Token",
      status: "ok",
      message: `Entra ID issued a token for ${client.armScope} to application ${tenant.clientId} in directory ${tenant.tenantId}.`,
    });
  } catch (error) {
    add({ id: "token", label: "Token", status: "failed", message: (await explainTokenFailure(error, tenant)).message });
    return finish();
  }

  let included: string[] = [];
  try {
    const visible = await client.listSubscriptions();
    const discovery = await recordSubscriptions(tenant.id, visible);
    subscriptions = discovery.subscriptions.map(toSubscriptionDto);
    included = discovery.subscriptions
      .filter((s) => s.included && visible.some((v) => v.subscriptionId === s.subscriptionId))
      .map((s) => s.subscriptionId);
    if (visible.length === 0) {
      add({
        id: "subscriptions",
        label: "Subscriptions",
        status: "failed",
        message:
          "The service principal sees no subscription. Grant it the Reader or Security Reader role on the subscriptions to ingest (or on a management group above them).",
      });
      return finish();
    }
    const names = visible
      .slice(0, 5)
      .map((s) => s.displayName)
      .join(", ");
    add({
      id: "subscriptions",
      label: "Subscriptions",
      status: included.length > 0 ? "ok" : "warning",
      message: `${visible.length} visible (${names}${visible.length > 5 ? ", …" : ""}); ${included.length} included in ingestion.${discovery.added.length ? ` Newly discovered: ${discovery.added.length}.` : ""}`,
    });
  } catch (error) {
    add({ id: "subscriptions", label: "Subscriptions", status: "failed", message: describe(error).message });
    return finish();
  }

  const checked = included.slice(0, MAX_CHECKED_SUBSCRIPTIONS);
  const refused: string[] = [];
  for (const subscriptionId of checked) {
    try {
      // The first page is enough to prove read access to Defender's assessments.
      const pages = client.assessments(subscriptionId);
      await pages.next();
      await pages.return(undefined);
    } catch (error) {
      const failure = describe(error);
      if (failure.kind !== "forbidden") {
        add({
          id: "security-reader",
          label: "Security Reader",
          status: "failed",
          message: `Subscription ${subscriptionId}: ${failure.message}`,
        });
        return finish();
      }
      refused.push(subscriptionId);
    }
  }
  if (checked.length > 0) {
    add(
      refused.length === 0
        ? {
            id: "security-reader",
            label: "Security Reader",
            status: "ok",
            message: `Defender for Cloud assessments are readable in ${checked.length === included.length ? "every included subscription" : `the first ${checked.length} included subscriptions`}.`,
          }
        : {
            id: "security-reader",
            label: "Security Reader",
            status: "failed",
            message: `No permission to read Defender for Cloud assessments in ${refused.join(", ")}: grant the service principal the Security Reader role there, or exclude these subscriptions.`,
          },
    );
  }

  if (tenant.useResourceGraph) {
    try {
      const pages = client.resourceGraph.query(`securityresources | where type == "microsoft.security/assessments" | count`, {
        subscriptions: included.length ? included : undefined,
        pageSize: 1,
      });
      await pages.next();
      await pages.return(undefined);
      add({
        id: "resource-graph",
        label: "Resource Graph",
        status: "ok",
        message: "Resource Graph answers: full ingestions read assessments across subscriptions in pages of 1,000.",
      });
    } catch (error) {
      add({
        id: "resource-graph",
        label: "Resource Graph",
        status: "warning",
        message: `${describe(error).message} Ingestion falls back to listing each subscription.`,
      });
    }
  }
  return finish();
}
