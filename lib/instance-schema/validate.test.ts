import { describe, expect, test } from "vitest";
import { type TDiscoveredField } from "@/lib/schemas/instance-schema";
import { columnForLabel, missingMandatory, parseDataPolicyException, validateFieldValues } from "./validate";

const fields: TDiscoveredField[] = [
  {
    name: "category",
    label: "Category",
    type: "string",
    mandatory: true,
    mandatorySource: "data_policy",
    choices: [
      { value: "network", label: "Network" },
      { value: "software", label: "Software" },
    ],
  },
  { name: "u_business_service", label: "Business service", type: "string", mandatory: true, mandatorySource: "learned", maxLength: 10 },
  { name: "caller_id", label: "Caller", type: "reference", mandatory: true, mandatorySource: "dictionary", reference: "sys_user" },
  { name: "contact_type", label: "Channel", type: "string", mandatory: false, mandatorySource: null },
  { name: "number", label: "Number", type: "string", mandatory: false, mandatorySource: null, isReadOnly: true },
  { name: "short_description", label: "Short description", type: "string", mandatory: true, mandatorySource: "dictionary" },
];

const check = (values: Record<string, string>, allowTemplates = true) =>
  validateFieldValues("incident", fields, values, "body.fieldDefaults.incident", { allowTemplates });

describe("validateFieldValues", () => {
  test("accepts known fields, choice values, templates on text fields and fields no list of ours knows (u_*, contact_type)", () => {
    expect(check({ category: "network", u_business_service: "{{tag:svc}}", contact_type: "integration" })).toEqual([]);
  });

  test("names an unknown field", () => {
    expect(check({ u_cost_center: "1" })).toEqual([
      {
        path: "body.fieldDefaults.incident.u_cost_center",
        field: "u_cost_center",
        message: 'incident has no field "u_cost_center" on this ServiceNow instance',
      },
    ]);
  });

  test("names a value outside the field's choices, and a template on a choice field", () => {
    expect(check({ category: "printers" })[0]?.message).toContain("must be one of the instance's choices: network, software");
    expect(check({ category: "{{severity}}" })[0]?.message).toContain("is a choice list");
  });

  test("refuses read-only, platform-owned and PostureDesk-managed fields", () => {
    expect(check({ number: "INC1" })[0]?.message).toContain("cannot be given a value");
    expect(check({ correlation_id: "x" })).toHaveLength(1);
    expect(check({ short_description: "x" })[0]?.message).toContain("filled by PostureDesk");
  });

  test("refuses templates outside field defaults, bad placeholders and values longer than the field", () => {
    expect(check({ contact_type: "{{severity}}" }, false)[0]?.message).toContain("templates are only allowed in field defaults");
    expect(check({ contact_type: "{{nope}}" })[0]?.message).toContain("unknown placeholder");
    expect(check({ u_business_service: "far too long for ten" })[0]?.message).toContain("longer than the instance allows (10 characters)");
  });
});

describe("missingMandatory", () => {
  test("lists data-policy and learned fields left empty, never dictionary-only ones", () => {
    expect(missingMandatory(fields, {}).map((f) => f.name)).toEqual(["category", "u_business_service"]);
    expect(missingMandatory(fields, { category: "network", u_business_service: "  " }).map((f) => f.name)).toEqual(["u_business_service"]);
    expect(missingMandatory(fields, { category: "network", u_business_service: "Pay" })).toEqual([]);
  });
});

describe("parseDataPolicyException", () => {
  test("reads the labels of a refusal", () => {
    expect(parseDataPolicyException("Data Policy Exception: \n\tThe following fields are mandatory: Category, Business service\n")).toEqual(
      ["Category", "Business service"],
    );
  });
  test("is null for other errors and empty when no field is named", () => {
    expect(parseDataPolicyException("ACL Exception Insert Failed due to security constraints")).toBeNull();
    expect(parseDataPolicyException(null)).toBeNull();
    expect(parseDataPolicyException("Data Policy Exception: something else")).toEqual([]);
  });
});

describe("columnForLabel", () => {
  test("uses a known field's label, else a u_ or plain column among the record's columns, else snake case", () => {
    expect(columnForLabel("Category", fields)).toBe("category");
    expect(columnForLabel("Business service", [], ["number", "u_business_service"])).toBe("u_business_service");
    expect(columnForLabel("Business service", [], ["business_service"])).toBe("business_service");
    expect(columnForLabel("Cost center", [], [])).toBe("cost_center");
  });
});
