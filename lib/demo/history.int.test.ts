import { expect, test } from "vitest";
import { backfillDemoHistory } from "./history-sql";
import { integrationSuite } from "@/test/integration";

const suite = integrationSuite({ emulators: "none" });

test("backfills the days before the latest snapshot per subscription, once, never overwriting a real day", async () => {
  const today = new Date(Date.UTC(2026, 10, 30));
  const base = {
    secureScoreCurrent: 30,
    secureScoreMax: 60,
    secureScorePercent: 50,
    unhealthyHigh: 100,
    unhealthyMedium: 200,
    unhealthyLow: 50,
    healthy: 400,
    notApplicable: 10,
    openTickets: 40,
    overdueTickets: 4,
    coveredUnhealthy: 60,
    drift: 2,
    standards: [{ name: "PCI-DSS-3.2.1", passed: 3, failed: 5, skipped: 0 }],
  };
  await suite.database.db.complianceSnapshot.createMany({
    data: [
      { day: today, subscriptionId: "sub-a", ...base },
      { day: today, subscriptionId: "sub-b", ...base },
    ],
  });
  // A real snapshot five days ago must survive the backfill.
  const real = new Date(Date.UTC(2026, 10, 25));
  await suite.database.db.complianceSnapshot.create({ data: { day: real, subscriptionId: "sub-a", ...base, unhealthyHigh: 1 } });

  expect(await backfillDemoHistory(10)).toBe(19);
  expect(await backfillDemoHistory(10)).toBe(0);
  expect(await suite.database.db.complianceSnapshot.count()).toBe(22);
  expect(
    (
      await suite.database.db.complianceSnapshot.findUniqueOrThrow({
        where: { day_subscriptionId: { day: real, subscriptionId: "sub-a" } },
      })
    ).unhealthyHigh,
  ).toBe(1);

  const oldest = await suite.database.db.complianceSnapshot.findUniqueOrThrow({
    where: { day_subscriptionId: { day: new Date(Date.UTC(2026, 10, 20)), subscriptionId: "sub-b" } },
  });
  expect(oldest.unhealthyHigh).toBeGreaterThan(95);
  expect(oldest.openTickets).toBeLessThan(base.openTickets);
  expect(oldest.secureScorePercent!).toBeGreaterThanOrEqual(0);
  expect(oldest.secureScorePercent!).toBeLessThanOrEqual(100);
  expect(oldest.standards).toEqual(base.standards);
});
