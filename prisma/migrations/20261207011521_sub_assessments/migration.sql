-- CreateTable
CREATE TABLE "SubAssessment" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "armId" TEXT NOT NULL,
    "findingId" UUID NOT NULL,
    "vulnerabilityId" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "severity" "Severity" NOT NULL,
    "status" "FindingStatus" NOT NULL,
    "kind" TEXT NOT NULL,
    "cves" TEXT[],
    "cvssScore" DOUBLE PRECISION,
    "cvssVersion" TEXT,
    "patchable" BOOLEAN,
    "publishedAt" TIMESTAMPTZ(3),
    "remediation" TEXT,
    "category" TEXT,
    "description" TEXT,
    "timeGenerated" TIMESTAMPTZ(3),
    "details" JSONB NOT NULL DEFAULT '{}',
    "hash" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SubAssessment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SubAssessment_armId_key" ON "SubAssessment"("armId");

-- CreateIndex
CREATE INDEX "SubAssessment_findingId_severity_idx" ON "SubAssessment"("findingId", "severity");

-- CreateIndex
CREATE INDEX "SubAssessment_cves_idx" ON "SubAssessment" USING GIN ("cves");

-- AddForeignKey
ALTER TABLE "SubAssessment" ADD CONSTRAINT "SubAssessment_findingId_fkey" FOREIGN KEY ("findingId") REFERENCES "Finding"("id") ON DELETE CASCADE ON UPDATE CASCADE;
