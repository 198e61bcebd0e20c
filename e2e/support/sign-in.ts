import { expect, type Page } from "@playwright/test";
import { PERSONAS, type Persona } from "./personas";

/** Signs in through the real redirect flow: app → Entra ID emulator's sign-in page → callback → app. */
export async function signIn(page: Page, persona: Persona, returnTo = "/"): Promise<void> {
  await page.goto(returnTo === "/" ? "/signin" : `/signin?returnTo=${encodeURIComponent(returnTo)}`);
  await page.getByRole("link", { name: "Sign in with Microsoft" }).click();
  await page.getByRole("button", { name: `Sign in as ${PERSONAS[persona].name}` }).click();
  if (PERSONAS[persona].role) {
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  } else {
    await expect(page.getByRole("heading", { name: "No access" })).toBeVisible();
  }
}
