import base from "./playwright.config";

// Regenerates the README screenshots (e2e/*.shots.ts) against a fresh e2e instance; see e2e/readme.shots.ts.
const config = { ...base, testMatch: /\.shots\.ts$/ };
export default config;
