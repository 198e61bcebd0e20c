import { expect, type Locator, type Page } from "@playwright/test";

/** Presses the ticket dialog's "Create ticket" and returns the number its confirmation announces (INC…, CHG…). */
export async function createTicketFromDialog(page: Page, dialog: Locator, prefix: "INC" | "CHG"): Promise<string> {
  await dialog.getByRole("button", { name: "Create ticket" }).click();
  const toast = page.getByRole("status").filter({ hasText: new RegExp(`Created ${prefix}\\d{7}`) });
  await expect(toast).toBeVisible({ timeout: 30_000 });
  return new RegExp(`${prefix}\\d{7}`).exec((await toast.textContent()) ?? "")![0];
}
