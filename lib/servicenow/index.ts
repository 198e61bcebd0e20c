// Public surface of the ServiceNow client (server-only: client.ts imports "server-only").
export {
  createServiceNowClient,
  type ServiceNowClient,
  type ServiceNowClientOptions,
  type ListOptions,
  type ListPage,
  type ReadOptions,
  type WriteOptions,
  type WriteValue,
} from "./client";
export { type OAuthTokens, type OAuthTokenStore, type ServiceNowAuth } from "./auth";
export { IN_BATCH, q, ServiceNowQuery, type QueryValue, WATERMARK_OVERLAP_MS } from "./query";
export { formatServiceNowDate, formatServiceNowDateTime, parseServiceNowDateTime } from "./dates";
export { SERVICENOW_FIELDS, isKnownField, type ServiceNowTable } from "./fields";
export { cellDisplay, cellValue, type ServiceNowCell, type ServiceNowRecord } from "./records";
export { type RequestInfo, type ServiceNowLogger } from "./transport";
export {
  createChange,
  isChangeApiAbsent,
  isChangeApiInstalled,
  listStandardTemplates,
  type ChangeApiResult,
  type ChangeModel,
  type StandardChangeTemplate,
} from "./change-api";
