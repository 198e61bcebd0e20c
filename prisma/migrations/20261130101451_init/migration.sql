-- CreateEnum
CREATE TYPE "Role" AS ENUM ('ADMIN', 'ANALYST', 'MANAGER');

-- CreateEnum
CREATE TYPE "Severity" AS ENUM ('High', 'Medium', 'Low');

-- CreateEnum
CREATE TYPE "FindingStatus" AS ENUM ('Healthy', 'Unhealthy', 'NotApplicable');

-- CreateEnum
CREATE TYPE "TicketTable" AS ENUM ('incident', 'problem', 'change_request', 'sn_vulc_result_group');

-- CreateEnum
CREATE TYPE "TicketState" AS ENUM ('open', 'resolved', 'closed', 'canceled');

-- CreateEnum
CREATE TYPE "TicketModule" AS ENUM ('itsm', 'cc');

-- CreateEnum
CREATE TYPE "ActorType" AS ENUM ('user', 'token', 'rule', 'system');

-- CreateEnum
CREATE TYPE "AuthType" AS ENUM ('basic', 'oauth');

-- CreateEnum
CREATE TYPE "RegressionPolicy" AS ENUM ('reopen', 'new_ticket');

-- CreateEnum
CREATE TYPE "RuleGrouping" AS ENUM ('per_finding', 'per_recommendation', 'per_resource_group');

-- CreateEnum
CREATE TYPE "OwnerSource" AS ENUM ('fixed', 'tag', 'none');

-- CreateEnum
CREATE TYPE "SyncKind" AS ENUM ('defender_ingest', 'servicenow_sync', 'targeted_sync', 'cc_export');

-- CreateEnum
CREATE TYPE "SyncTrigger" AS ENUM ('manual', 'schedule', 'webhook', 'rule', 'startup', 'api');

-- CreateEnum
CREATE TYPE "SyncStatus" AS ENUM ('queued', 'running', 'succeeded', 'partial', 'failed', 'canceled');

-- CreateEnum
CREATE TYPE "SyncAction" AS ENUM ('created', 'updated', 'resolved', 'reopened', 'linked', 'unlinked', 'skipped', 'error', 'new_finding', 'status_changed', 'removed', 'drift', 'governance_updated', 'exported');

-- CreateEnum
CREATE TYPE "AzureSyncState" AS ENUM ('pending', 'synced', 'error');

-- CreateTable
CREATE TABLE "User" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "oid" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "email" TEXT,
    "name" TEXT NOT NULL,
    "role" "Role",
    "lastLoginAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "revokedAt" TIMESTAMPTZ(3),
    "lastUsedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorType" "ActorType" NOT NULL,
    "actorId" TEXT,
    "actorName" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "targetType" TEXT,
    "targetId" TEXT,
    "before" JSONB,
    "after" JSONB,
    "ip" TEXT,
    "requestId" TEXT,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AppSetting" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AppSetting_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "AzureTenant" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "clientSecretEnc" TEXT NOT NULL,
    "authorityHost" TEXT NOT NULL,
    "armEndpoint" TEXT NOT NULL,
    "allowPrivateNetwork" BOOLEAN NOT NULL DEFAULT false,
    "useResourceGraph" BOOLEAN NOT NULL DEFAULT true,
    "syncIntervalMinutes" INTEGER NOT NULL DEFAULT 60,
    "defenderWatermark" TIMESTAMPTZ(3),
    "lastFullSyncAt" TIMESTAMPTZ(3),
    "lastSyncAt" TIMESTAMPTZ(3),
    "nextSyncAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deletedAt" TIMESTAMPTZ(3),

    CONSTRAINT "AzureTenant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Subscription" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "azureTenantId" UUID NOT NULL,
    "subscriptionId" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'Enabled',
    "included" BOOLEAN NOT NULL DEFAULT true,
    "lastIngestedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Subscription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Recommendation" (
    "key" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "severity" "Severity" NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "remediation" TEXT NOT NULL DEFAULT '',
    "categories" TEXT[],
    "threats" TEXT[],
    "userImpact" TEXT,
    "implementationEffort" TEXT,
    "policyDefinitionId" TEXT,
    "assessmentType" TEXT,
    "isPreview" BOOLEAN NOT NULL DEFAULT false,
    "isPlaceholder" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Recommendation_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "Finding" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "armId" TEXT NOT NULL,
    "azureTenantId" UUID NOT NULL,
    "subscriptionId" TEXT NOT NULL,
    "resourceGroup" TEXT,
    "resourceId" TEXT NOT NULL,
    "resourceType" TEXT NOT NULL,
    "resourceName" TEXT NOT NULL,
    "resourceSource" TEXT NOT NULL DEFAULT 'Azure',
    "tags" JSONB NOT NULL DEFAULT '{}',
    "recommendationKey" TEXT NOT NULL,
    "severity" "Severity" NOT NULL,
    "status" "FindingStatus" NOT NULL,
    "statusCause" TEXT,
    "statusDescription" TEXT,
    "firstEvaluationAt" TIMESTAMPTZ(3),
    "statusChangedAt" TIMESTAMPTZ(3),
    "portalUrl" TEXT,
    "firstSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "removedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Finding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GovernanceAssignment" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "findingId" UUID NOT NULL,
    "assignmentKey" TEXT NOT NULL,
    "isManaged" BOOLEAN NOT NULL DEFAULT true,
    "owner" TEXT,
    "remediationDueDate" TIMESTAMPTZ(3),
    "remediationEta" TIMESTAMPTZ(3),
    "isGracePeriod" BOOLEAN NOT NULL DEFAULT false,
    "ticketNumber" INTEGER,
    "ticketLink" TEXT,
    "ticketStatus" TEXT,
    "azureState" "AzureSyncState" NOT NULL DEFAULT 'pending',
    "azureSyncedAt" TIMESTAMPTZ(3),
    "azureError" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GovernanceAssignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SecureScore" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "subscriptionId" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT 'ascScore',
    "displayName" TEXT NOT NULL,
    "current" DOUBLE PRECISION NOT NULL,
    "max" DOUBLE PRECISION NOT NULL,
    "percentage" DOUBLE PRECISION NOT NULL,
    "weight" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SecureScore_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SecureScoreControl" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "subscriptionId" TEXT NOT NULL,
    "controlName" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "current" DOUBLE PRECISION NOT NULL,
    "max" DOUBLE PRECISION NOT NULL,
    "percentage" DOUBLE PRECISION NOT NULL,
    "healthy" INTEGER NOT NULL DEFAULT 0,
    "unhealthy" INTEGER NOT NULL DEFAULT 0,
    "notApplicable" INTEGER NOT NULL DEFAULT 0,
    "weight" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SecureScoreControl_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RegulatoryStandard" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "subscriptionId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "passedControls" INTEGER NOT NULL DEFAULT 0,
    "failedControls" INTEGER NOT NULL DEFAULT 0,
    "skippedControls" INTEGER NOT NULL DEFAULT 0,
    "unsupportedControls" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RegulatoryStandard_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RegulatoryControl" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "subscriptionId" TEXT NOT NULL,
    "standardName" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "state" TEXT NOT NULL,
    "passedAssessments" INTEGER NOT NULL DEFAULT 0,
    "failedAssessments" INTEGER NOT NULL DEFAULT 0,
    "skippedAssessments" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RegulatoryControl_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RegulatoryAssessment" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "subscriptionId" TEXT NOT NULL,
    "standardName" TEXT NOT NULL,
    "controlName" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "assessmentType" TEXT,
    "recommendationKey" TEXT,
    "state" TEXT NOT NULL,
    "passedResources" INTEGER NOT NULL DEFAULT 0,
    "failedResources" INTEGER NOT NULL DEFAULT 0,
    "skippedResources" INTEGER NOT NULL DEFAULT 0,
    "unsupportedResources" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RegulatoryAssessment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ComplianceSnapshot" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "day" DATE NOT NULL,
    "subscriptionId" TEXT NOT NULL,
    "secureScoreCurrent" DOUBLE PRECISION,
    "secureScoreMax" DOUBLE PRECISION,
    "secureScorePercent" DOUBLE PRECISION,
    "unhealthyHigh" INTEGER NOT NULL DEFAULT 0,
    "unhealthyMedium" INTEGER NOT NULL DEFAULT 0,
    "unhealthyLow" INTEGER NOT NULL DEFAULT 0,
    "healthy" INTEGER NOT NULL DEFAULT 0,
    "notApplicable" INTEGER NOT NULL DEFAULT 0,
    "openTickets" INTEGER NOT NULL DEFAULT 0,
    "overdueTickets" INTEGER NOT NULL DEFAULT 0,
    "coveredUnhealthy" INTEGER NOT NULL DEFAULT 0,
    "drift" INTEGER NOT NULL DEFAULT 0,
    "standards" JSONB NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ComplianceSnapshot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServiceNowConnection" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "instanceUrl" TEXT NOT NULL,
    "authType" "AuthType" NOT NULL,
    "username" TEXT NOT NULL,
    "passwordEnc" TEXT NOT NULL,
    "oauthClientId" TEXT,
    "oauthClientSecretEnc" TEXT,
    "oauthTokenEnc" TEXT,
    "oauthTokenExpiresAt" TIMESTAMPTZ(3),
    "allowPrivateNetwork" BOOLEAN NOT NULL DEFAULT false,
    "itsmEnabled" BOOLEAN NOT NULL DEFAULT true,
    "ccEnabled" BOOLEAN NOT NULL DEFAULT false,
    "ccStagingTable" TEXT NOT NULL DEFAULT 'u_posturedesk_cc_import',
    "defaultTable" "TicketTable" NOT NULL DEFAULT 'incident',
    "defaultAssignmentGroup" TEXT,
    "defaultCallerId" TEXT,
    "severityMapping" JSONB NOT NULL,
    "closeCode" TEXT NOT NULL DEFAULT 'Solved (Permanently)',
    "syncIntervalMinutes" INTEGER NOT NULL DEFAULT 1440,
    "regressionPolicy" "RegressionPolicy" NOT NULL DEFAULT 'reopen',
    "webhookSecretEnc" TEXT,
    "correlationPrefix" TEXT NOT NULL DEFAULT 'posturedesk',
    "snWatermark" TIMESTAMPTZ(3),
    "lastSyncAt" TIMESTAMPTZ(3),
    "nextSyncAt" TIMESTAMPTZ(3),
    "lastWebhookAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deletedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ServiceNowConnection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Ticket" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "connectionId" UUID NOT NULL,
    "table" "TicketTable" NOT NULL,
    "module" "TicketModule" NOT NULL DEFAULT 'itsm',
    "sysId" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "rawState" TEXT NOT NULL,
    "state" "TicketState" NOT NULL,
    "priority" INTEGER,
    "impact" INTEGER,
    "urgency" INTEGER,
    "changeType" TEXT,
    "shortDescription" TEXT NOT NULL DEFAULT '',
    "assignedToSysId" TEXT,
    "assignedToName" TEXT,
    "assignedToEmail" TEXT,
    "assignmentGroupSysId" TEXT,
    "assignmentGroupName" TEXT,
    "dueDate" TIMESTAMPTZ(3),
    "url" TEXT NOT NULL,
    "correlationId" TEXT,
    "createdByType" "ActorType" NOT NULL,
    "createdById" TEXT,
    "ruleId" UUID,
    "replacesTicketId" UUID,
    "isDrift" BOOLEAN NOT NULL DEFAULT false,
    "driftSince" TIMESTAMPTZ(3),
    "snUpdatedAt" TIMESTAMPTZ(3),
    "lastSyncedAt" TIMESTAMPTZ(3),
    "resolvedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Ticket_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TicketLink" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "ticketId" UUID NOT NULL,
    "findingId" UUID NOT NULL,
    "connectionId" UUID NOT NULL,
    "module" "TicketModule" NOT NULL DEFAULT 'itsm',
    "activeConnectionId" UUID,
    "linkedByType" "ActorType" NOT NULL,
    "linkedById" TEXT,
    "linkedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "unlinkedAt" TIMESTAMPTZ(3),
    "unlinkReason" TEXT,

    CONSTRAINT "TicketLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AutomationRule" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "priority" INTEGER NOT NULL,
    "connectionId" UUID NOT NULL,
    "conditions" JSONB NOT NULL,
    "table" "TicketTable" NOT NULL DEFAULT 'incident',
    "changeType" TEXT,
    "grouping" "RuleGrouping" NOT NULL DEFAULT 'per_finding',
    "assignmentGroup" TEXT,
    "ownerSource" "OwnerSource" NOT NULL DEFAULT 'none',
    "ownerValue" TEXT,
    "remediationDays" INTEGER NOT NULL DEFAULT 30,
    "gracePeriod" BOOLEAN NOT NULL DEFAULT false,
    "createdById" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deletedAt" TIMESTAMPTZ(3),

    CONSTRAINT "AutomationRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CcTest" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "connectionId" UUID NOT NULL,
    "recommendationKey" TEXT NOT NULL,
    "testSysId" TEXT NOT NULL,
    "policySysId" TEXT,
    "policyName" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CcTest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CcExportState" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "connectionId" UUID NOT NULL,
    "findingId" UUID NOT NULL,
    "resultSysId" TEXT,
    "lastResult" TEXT NOT NULL,
    "lastHash" TEXT NOT NULL,
    "lastExportedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CcExportState_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncRun" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "kind" "SyncKind" NOT NULL,
    "trigger" "SyncTrigger" NOT NULL,
    "status" "SyncStatus" NOT NULL DEFAULT 'queued',
    "connectionId" UUID,
    "azureTenantId" UUID,
    "targetTable" TEXT,
    "targetSysId" TEXT,
    "phase" TEXT,
    "progressDone" INTEGER NOT NULL DEFAULT 0,
    "progressTotal" INTEGER NOT NULL DEFAULT 0,
    "counts" JSONB NOT NULL DEFAULT '{}',
    "error" TEXT,
    "requestedByType" "ActorType",
    "requestedById" TEXT,
    "jobId" TEXT,
    "queuedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),
    "heartbeatAt" TIMESTAMPTZ(3),

    CONSTRAINT "SyncRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncEvent" (
    "id" BIGSERIAL NOT NULL,
    "runId" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "action" "SyncAction" NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityId" TEXT,
    "ticketId" UUID,
    "findingId" UUID,
    "before" JSONB,
    "after" JSONB,
    "message" TEXT NOT NULL DEFAULT '',
    "isRetryable" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "SyncEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncRetryItem" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "scope" TEXT NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "lastError" TEXT NOT NULL,
    "lastRunId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SyncRetryItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_tenantId_oid_key" ON "User"("tenantId", "oid");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "ApiToken_createdAt_idx" ON "ApiToken"("createdAt");

-- CreateIndex
CREATE INDEX "AuditLog_at_idx" ON "AuditLog"("at" DESC);

-- CreateIndex
CREATE INDEX "AuditLog_action_at_idx" ON "AuditLog"("action", "at" DESC);

-- CreateIndex
CREATE INDEX "AuditLog_targetType_targetId_idx" ON "AuditLog"("targetType", "targetId");

-- CreateIndex
CREATE INDEX "AuditLog_actorId_at_idx" ON "AuditLog"("actorId", "at" DESC);

-- CreateIndex
CREATE INDEX "AzureTenant_deletedAt_idx" ON "AzureTenant"("deletedAt");

-- CreateIndex
CREATE INDEX "Subscription_subscriptionId_idx" ON "Subscription"("subscriptionId");

-- CreateIndex
CREATE UNIQUE INDEX "Subscription_azureTenantId_subscriptionId_key" ON "Subscription"("azureTenantId", "subscriptionId");

-- CreateIndex
CREATE INDEX "Recommendation_severity_idx" ON "Recommendation"("severity");

-- CreateIndex
CREATE INDEX "Recommendation_displayName_idx" ON "Recommendation"("displayName");

-- CreateIndex
CREATE UNIQUE INDEX "Finding_armId_key" ON "Finding"("armId");

-- CreateIndex
CREATE INDEX "Finding_recommendationKey_status_idx" ON "Finding"("recommendationKey", "status");

-- CreateIndex
CREATE INDEX "Finding_subscriptionId_status_idx" ON "Finding"("subscriptionId", "status");

-- CreateIndex
CREATE INDEX "Finding_severity_status_idx" ON "Finding"("severity", "status");

-- CreateIndex
CREATE INDEX "Finding_status_statusChangedAt_idx" ON "Finding"("status", "statusChangedAt");

-- CreateIndex
CREATE INDEX "Finding_resourceType_idx" ON "Finding"("resourceType");

-- CreateIndex
CREATE INDEX "Finding_resourceGroup_idx" ON "Finding"("resourceGroup");

-- CreateIndex
CREATE INDEX "Finding_resourceId_idx" ON "Finding"("resourceId");

-- CreateIndex
CREATE INDEX "Finding_azureTenantId_lastSeenAt_idx" ON "Finding"("azureTenantId", "lastSeenAt");

-- CreateIndex
CREATE INDEX "GovernanceAssignment_azureState_idx" ON "GovernanceAssignment"("azureState");

-- CreateIndex
CREATE INDEX "GovernanceAssignment_remediationDueDate_idx" ON "GovernanceAssignment"("remediationDueDate");

-- CreateIndex
CREATE UNIQUE INDEX "GovernanceAssignment_findingId_assignmentKey_key" ON "GovernanceAssignment"("findingId", "assignmentKey");

-- CreateIndex
CREATE UNIQUE INDEX "SecureScore_subscriptionId_name_key" ON "SecureScore"("subscriptionId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "SecureScoreControl_subscriptionId_controlName_key" ON "SecureScoreControl"("subscriptionId", "controlName");

-- CreateIndex
CREATE UNIQUE INDEX "RegulatoryStandard_subscriptionId_name_key" ON "RegulatoryStandard"("subscriptionId", "name");

-- CreateIndex
CREATE INDEX "RegulatoryControl_standardName_state_idx" ON "RegulatoryControl"("standardName", "state");

-- CreateIndex
CREATE UNIQUE INDEX "RegulatoryControl_subscriptionId_standardName_name_key" ON "RegulatoryControl"("subscriptionId", "standardName", "name");

-- CreateIndex
CREATE INDEX "RegulatoryAssessment_recommendationKey_idx" ON "RegulatoryAssessment"("recommendationKey");

-- CreateIndex
CREATE UNIQUE INDEX "RegulatoryAssessment_subscriptionId_standardName_controlNam_key" ON "RegulatoryAssessment"("subscriptionId", "standardName", "controlName", "name");

-- CreateIndex
CREATE INDEX "ComplianceSnapshot_subscriptionId_day_idx" ON "ComplianceSnapshot"("subscriptionId", "day");

-- CreateIndex
CREATE UNIQUE INDEX "ComplianceSnapshot_day_subscriptionId_key" ON "ComplianceSnapshot"("day", "subscriptionId");

-- CreateIndex
CREATE INDEX "ServiceNowConnection_deletedAt_idx" ON "ServiceNowConnection"("deletedAt");

-- CreateIndex
CREATE INDEX "ServiceNowConnection_nextSyncAt_idx" ON "ServiceNowConnection"("nextSyncAt");

-- CreateIndex
CREATE INDEX "Ticket_connectionId_state_idx" ON "Ticket"("connectionId", "state");

-- CreateIndex
CREATE INDEX "Ticket_state_dueDate_idx" ON "Ticket"("state", "dueDate");

-- CreateIndex
CREATE INDEX "Ticket_isDrift_idx" ON "Ticket"("isDrift");

-- CreateIndex
CREATE INDEX "Ticket_createdAt_idx" ON "Ticket"("createdAt" DESC);

-- CreateIndex
CREATE INDEX "Ticket_assignmentGroupName_idx" ON "Ticket"("assignmentGroupName");

-- CreateIndex
CREATE UNIQUE INDEX "Ticket_connectionId_sysId_key" ON "Ticket"("connectionId", "sysId");

-- CreateIndex
CREATE UNIQUE INDEX "Ticket_connectionId_correlationId_key" ON "Ticket"("connectionId", "correlationId");

-- CreateIndex
CREATE UNIQUE INDEX "Ticket_connectionId_table_number_key" ON "Ticket"("connectionId", "table", "number");

-- CreateIndex
CREATE INDEX "TicketLink_ticketId_idx" ON "TicketLink"("ticketId");

-- CreateIndex
CREATE INDEX "TicketLink_connectionId_activeConnectionId_idx" ON "TicketLink"("connectionId", "activeConnectionId");

-- CreateIndex
CREATE UNIQUE INDEX "TicketLink_findingId_activeConnectionId_module_key" ON "TicketLink"("findingId", "activeConnectionId", "module");

-- CreateIndex
CREATE INDEX "AutomationRule_enabled_idx" ON "AutomationRule"("enabled");

-- CreateIndex
CREATE UNIQUE INDEX "AutomationRule_connectionId_priority_key" ON "AutomationRule"("connectionId", "priority");

-- CreateIndex
CREATE UNIQUE INDEX "CcTest_connectionId_recommendationKey_key" ON "CcTest"("connectionId", "recommendationKey");

-- CreateIndex
CREATE UNIQUE INDEX "CcExportState_connectionId_findingId_key" ON "CcExportState"("connectionId", "findingId");

-- CreateIndex
CREATE INDEX "SyncRun_queuedAt_idx" ON "SyncRun"("queuedAt" DESC);

-- CreateIndex
CREATE INDEX "SyncRun_connectionId_queuedAt_idx" ON "SyncRun"("connectionId", "queuedAt" DESC);

-- CreateIndex
CREATE INDEX "SyncRun_azureTenantId_queuedAt_idx" ON "SyncRun"("azureTenantId", "queuedAt" DESC);

-- CreateIndex
CREATE INDEX "SyncRun_status_idx" ON "SyncRun"("status");

-- CreateIndex
CREATE INDEX "SyncEvent_runId_id_idx" ON "SyncEvent"("runId", "id");

-- CreateIndex
CREATE INDEX "SyncEvent_ticketId_idx" ON "SyncEvent"("ticketId");

-- CreateIndex
CREATE INDEX "SyncEvent_findingId_idx" ON "SyncEvent"("findingId");

-- CreateIndex
CREATE INDEX "SyncEvent_runId_action_idx" ON "SyncEvent"("runId", "action");

-- CreateIndex
CREATE UNIQUE INDEX "SyncRetryItem_scope_entityType_entityId_key" ON "SyncRetryItem"("scope", "entityType", "entityId");

-- AddForeignKey
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Subscription" ADD CONSTRAINT "Subscription_azureTenantId_fkey" FOREIGN KEY ("azureTenantId") REFERENCES "AzureTenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Finding" ADD CONSTRAINT "Finding_azureTenantId_fkey" FOREIGN KEY ("azureTenantId") REFERENCES "AzureTenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Finding" ADD CONSTRAINT "Finding_recommendationKey_fkey" FOREIGN KEY ("recommendationKey") REFERENCES "Recommendation"("key") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GovernanceAssignment" ADD CONSTRAINT "GovernanceAssignment_findingId_fkey" FOREIGN KEY ("findingId") REFERENCES "Finding"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "ServiceNowConnection"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketLink" ADD CONSTRAINT "TicketLink_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketLink" ADD CONSTRAINT "TicketLink_findingId_fkey" FOREIGN KEY ("findingId") REFERENCES "Finding"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketLink" ADD CONSTRAINT "TicketLink_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "ServiceNowConnection"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AutomationRule" ADD CONSTRAINT "AutomationRule_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "ServiceNowConnection"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CcTest" ADD CONSTRAINT "CcTest_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "ServiceNowConnection"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CcExportState" ADD CONSTRAINT "CcExportState_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "ServiceNowConnection"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CcExportState" ADD CONSTRAINT "CcExportState_findingId_fkey" FOREIGN KEY ("findingId") REFERENCES "Finding"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncRun" ADD CONSTRAINT "SyncRun_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "ServiceNowConnection"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncRun" ADD CONSTRAINT "SyncRun_azureTenantId_fkey" FOREIGN KEY ("azureTenantId") REFERENCES "AzureTenant"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncEvent" ADD CONSTRAINT "SyncEvent_runId_fkey" FOREIGN KEY ("runId") REFERENCES "SyncRun"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ───────────── Written by hand: what schema.prisma cannot express (invisible to the drift check) ─────────────

-- History is append-only: SyncEvent and AuditLog rows are never changed or removed once written.
CREATE FUNCTION "posturedesk_reject_history_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'table "%" is append-only: % is not allowed', TG_TABLE_NAME, TG_OP;
END;
$$;

CREATE TRIGGER "SyncEvent_append_only"
  BEFORE UPDATE OR DELETE ON "SyncEvent"
  FOR EACH ROW EXECUTE FUNCTION "posturedesk_reject_history_change"();

CREATE TRIGGER "AuditLog_append_only"
  BEFORE UPDATE OR DELETE ON "AuditLog"
  FOR EACH ROW EXECUTE FUNCTION "posturedesk_reject_history_change"();

-- A current link is active for its own connection only; otherwise the unique index
-- (findingId, activeConnectionId, module) could be sidestepped.
ALTER TABLE "TicketLink" ADD CONSTRAINT "TicketLink_activeConnectionId_check"
  CHECK ("activeConnectionId" IS NULL OR "activeConnectionId" = "connectionId");
