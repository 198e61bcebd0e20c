// Configuration Compliance vocabulary PostureDesk reads (never writes): test result values and the
// remediation-task state model. Labels are ServiceNow's (docs "Configuration Compliance states");
// the numeric values are not documented by ServiceNow (they come from practitioners' notes), so the
// label PostureDesk shows is the instance's own display value, and this table is only the fallback when
// a record was read without one. docs/EMULATORS.md, "Contract: Configuration Compliance".

/** Documented remediation task states, by the stored value observed on instances. */
export const CC_TASK_STATES: Record<string, string> = {
  "1": "Open",
  "2": "Under Investigation",
  "3": "Closed",
  "10": "Awaiting Implementation",
  "11": "In Review",
  "12": "Deferred",
  "101": "Resolved",
};

/** Test result values (the "Result" column). */
export const CC_RESULTS = ["Passed", "Failed", "Error", "Unknown"] as const;

export function ccTaskStateLabel(value: string, displayValue?: string): string {
  const shown = displayValue?.trim();
  if (shown && shown !== value) return shown;
  return CC_TASK_STATES[value.trim()] ?? (value || "Unknown");
}

/** "Failed" however the instance stores it (value or label, any case). */
export function ccResultOf(value: string, displayValue?: string): string {
  const raw = (displayValue?.trim() || value.trim()).toLowerCase();
  return CC_RESULTS.find((r) => r.toLowerCase() === raw) ?? (displayValue?.trim() || value.trim() || "Unknown");
}
