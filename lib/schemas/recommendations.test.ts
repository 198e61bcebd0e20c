import { describe, expect, test } from "vitest";
import { findingsQueryOf, ZFindingsQuery } from "./findings";
import { recommendationsQueryOf, ZRecommendationsQuery } from "./recommendations";

describe("recommendationsQueryOf", () => {
  test("reads repeated and comma-separated values, booleans and the default sort", () => {
    expect(recommendationsQueryOf({ severity: ["High", "Low"], subscriptionId: "AAA,bbb", hasTicket: "false", q: "  vm  " })).toMatchObject(
      {
        severity: ["High", "Low"],
        subscriptionId: ["aaa", "bbb"],
        hasTicket: false,
        q: "vm",
        sort: "-severity",
        page: 1,
        pageSize: 50,
      },
    );
  });

  test("drops a bad value from a shared link instead of failing the page, and keeps the rest", () => {
    const query = recommendationsQueryOf({ severity: "Critical", sort: "random", page: "0", hasTicket: "true" });
    expect(query).toEqual(recommendationsQueryOf({ hasTicket: "true" }));
  });

  test("the API itself refuses what the page forgives", () => {
    expect(ZRecommendationsQuery.safeParse({ severity: "Critical" }).success).toBe(false);
    expect(ZRecommendationsQuery.safeParse({ pageSize: "501" }).success).toBe(false);
  });

  test("an empty search is no search", () => {
    expect(recommendationsQueryOf({ q: "" }).q).toBeUndefined();
    expect(ZRecommendationsQuery.parse({ q: "   " }).q).toBeUndefined();
  });
});

describe("findingsQueryOf", () => {
  test("adds recommendation, resource group and removed filters to the shared ones", () => {
    expect(
      findingsQueryOf({ recommendationKey: "k1", resourceGroup: ["rg-a", "rg-b"], includeRemoved: "1", status: "Unhealthy" }),
    ).toMatchObject({
      recommendationKey: ["k1"],
      resourceGroup: ["rg-a", "rg-b"],
      includeRemoved: true,
      status: ["Unhealthy"],
      sort: "-severity",
    });
    expect(ZFindingsQuery.safeParse({ sort: "sideways" }).success).toBe(false);
  });
});
