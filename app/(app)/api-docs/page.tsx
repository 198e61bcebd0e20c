import type { Metadata } from "next";
import { ApiReference } from "@/components/api-docs/api-reference";
import { buttonClasses } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageActor } from "@/lib/auth/page";
import { openApiDocument } from "@/lib/openapi/openapi";

export const metadata: Metadata = { title: "API reference" };

export default async function ApiDocsPage() {
  await requirePageActor();
  return (
    <>
      <PageHeader
        title="API reference"
        description="Everything the UI does is available to scripts, CI pipelines and SOAR tools. Authenticate with an API token: Authorization: Bearer <token>."
        actions={
          <a href="/api/openapi.json" className={buttonClasses("secondary", "sm")}>
            OpenAPI 3.1 (JSON)
          </a>
        }
      />
      <ApiReference doc={openApiDocument()} />
    </>
  );
}
