// Fixed configuration of integration tests (recognisable, so the secret scan can look for it).
export const TEST_APP_URL = "http://localhost:3000";
export const TEST_SESSION_SECRET = "integration-test-session-secret-0123456789abcdef";
export const TEST_ENCRYPTION_KEY = Buffer.from("posturedesk-test-encryption-key!").toString("base64");
