// Choice lists (sys_choice) of the emulated instance: the values stored in records and the labels that
// `sysparm_display_value=true` shows and `sysparm_input_display_value=true` accepts.

export type Choice = { value: string; label: string };

const INCIDENT_STATE: Choice[] = [
  { value: "1", label: "New" },
  { value: "2", label: "In Progress" },
  { value: "3", label: "On Hold" },
  { value: "6", label: "Resolved" },
  { value: "7", label: "Closed" },
  { value: "8", label: "Canceled" },
];

const PROBLEM_STATE: Choice[] = [
  { value: "101", label: "New" },
  { value: "102", label: "Assess" },
  { value: "103", label: "Root Cause Analysis" },
  { value: "104", label: "Fix in Progress" },
  { value: "106", label: "Resolved" },
  { value: "107", label: "Closed" },
];

const CHANGE_STATE: Choice[] = [
  { value: "-5", label: "New" },
  { value: "-4", label: "Assess" },
  { value: "-3", label: "Authorize" },
  { value: "-2", label: "Scheduled" },
  { value: "-1", label: "Implement" },
  { value: "0", label: "Review" },
  { value: "3", label: "Closed" },
  { value: "4", label: "Canceled" },
];

// Configuration Compliance remediation task states (emulator's model; mirrors incident's numbering).
// Remediation task states: labels documented ("Configuration Compliance states"); values as observed on
// instances (not documented; a client must read sys_choice). Reason (substate): 4 Fixed, 100 Pending Approval.
const RESULT_GROUP_STATE: Choice[] = [
  { value: "1", label: "Open" },
  { value: "2", label: "Under Investigation" },
  { value: "11", label: "In Review" },
  { value: "12", label: "Deferred" },
  { value: "10", label: "Awaiting Implementation" },
  { value: "101", label: "Resolved" },
  { value: "3", label: "Closed" },
];

const CC_SUBSTATE: Choice[] = [
  { value: "4", label: "Fixed" },
  { value: "100", label: "Pending Approval" },
];

/** Test result states follow their remediation tasks (Open, or Closed with a Resolution). */
const CC_RESULT_STATE: Choice[] = [
  { value: "1", label: "Open" },
  { value: "3", label: "Closed" },
];

const IMPACT: Choice[] = [
  { value: "1", label: "1 - High" },
  { value: "2", label: "2 - Medium" },
  { value: "3", label: "3 - Low" },
];

const URGENCY = IMPACT;

const PRIORITY: Choice[] = [
  { value: "1", label: "1 - Critical" },
  { value: "2", label: "2 - High" },
  { value: "3", label: "3 - Moderate" },
  { value: "4", label: "4 - Low" },
  { value: "5", label: "5 - Planning" },
];

// The current release's base list (servicenow.com docs, "Resolve and close a major incident"); the older
// "Solved (Permanently)"… codes exist only on instances upgraded from old releases, not on these.
const INCIDENT_CLOSE_CODE: Choice[] = [
  { value: "Duplicate", label: "Duplicate" },
  { value: "Known error", label: "Known error" },
  { value: "No resolution provided", label: "No resolution provided" },
  { value: "Resolved by caller", label: "Resolved by caller" },
  { value: "Resolved by change", label: "Resolved by change" },
  { value: "Resolved by problem", label: "Resolved by problem" },
  { value: "Resolved by request", label: "Resolved by request" },
  { value: "Solution provided", label: "Solution provided" },
  { value: "Workaround provided", label: "Workaround provided" },
];

// incident.category of the base system (assumption: the well-known out-of-box list; read sys_choice).
const INCIDENT_CATEGORY: Choice[] = [
  { value: "inquiry", label: "Inquiry / Help" },
  { value: "software", label: "Software" },
  { value: "hardware", label: "Hardware" },
  { value: "network", label: "Network" },
  { value: "database", label: "Database" },
];

const HOLD_REASON: Choice[] = [
  { value: "1", label: "Awaiting Caller" },
  { value: "3", label: "Awaiting Problem" },
  { value: "4", label: "Awaiting Vendor" },
  { value: "5", label: "Awaiting Change" },
];

const PROBLEM_RESOLUTION_CODE: Choice[] = [
  { value: "fix_applied", label: "Fix Applied" },
  { value: "risk_accepted", label: "Risk Accepted" },
  { value: "duplicate", label: "Duplicate" },
  { value: "canceled", label: "Canceled" },
];

const CHANGE_TYPE: Choice[] = [
  { value: "normal", label: "Normal" },
  { value: "standard", label: "Standard" },
  { value: "emergency", label: "Emergency" },
];

const CHANGE_CLOSE_CODE: Choice[] = [
  { value: "successful", label: "Successful" },
  { value: "successful_issues", label: "Successful with issues" },
  { value: "unsuccessful", label: "Unsuccessful" },
];

const CHANGE_RISK: Choice[] = [
  { value: "2", label: "High" },
  { value: "3", label: "Moderate" },
  { value: "4", label: "Low" },
];

const CC_RESULT: Choice[] = [
  { value: "passed", label: "Passed" },
  { value: "failed", label: "Failed" },
  { value: "error", label: "Error" },
  { value: "unknown", label: "Unknown" },
];

const RISK_RATING: Choice[] = [
  { value: "1", label: "Critical" },
  { value: "2", label: "High" },
  { value: "3", label: "Medium" },
  { value: "4", label: "Low" },
  { value: "5", label: "None" },
];

const OPERATIONAL_STATUS: Choice[] = [
  { value: "1", label: "Operational" },
  { value: "2", label: "Non-Operational" },
  { value: "6", label: "Retired" },
];

const INSTALL_STATUS: Choice[] = [
  { value: "1", label: "Installed" },
  { value: "7", label: "Retired" },
  { value: "100", label: "Absent" },
];

/** table → element → choices. Task fields appear under each task table, as sys_choice stores them. */
export const CHOICES: Record<string, Record<string, Choice[]>> = {
  incident: {
    state: INCIDENT_STATE,
    incident_state: INCIDENT_STATE,
    impact: IMPACT,
    urgency: URGENCY,
    priority: PRIORITY,
    close_code: INCIDENT_CLOSE_CODE,
    hold_reason: HOLD_REASON,
    category: INCIDENT_CATEGORY,
  },
  problem: {
    state: PROBLEM_STATE,
    impact: IMPACT,
    urgency: URGENCY,
    priority: PRIORITY,
    resolution_code: PROBLEM_RESOLUTION_CODE,
  },
  change_request: {
    state: CHANGE_STATE,
    impact: IMPACT,
    urgency: URGENCY,
    priority: PRIORITY,
    type: CHANGE_TYPE,
    close_code: CHANGE_CLOSE_CODE,
    risk: CHANGE_RISK,
  },
  sn_vulc_result_group: {
    state: RESULT_GROUP_STATE,
    impact: IMPACT,
    urgency: URGENCY,
    priority: PRIORITY,
    risk_rating: RISK_RATING,
    substate: CC_SUBSTATE,
  },
  sn_vulc_result: { result: CC_RESULT, state: CC_RESULT_STATE, substate: CC_SUBSTATE, risk_rating: RISK_RATING },
  sn_vulc_test: { risk_rating: RISK_RATING },
  cmdb_ci: { operational_status: OPERATIONAL_STATUS, install_status: INSTALL_STATUS },
};

export function choicesFor(table: string, element: string): Choice[] | undefined {
  return CHOICES[table]?.[element];
}
