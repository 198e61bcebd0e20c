// What of a remote system's error text may be shown to a person: at most a short excerpt of the
// documented error message (ServiceNow's error.message, ARM's error.code + error.message), reduced to
// letters, digits, spaces and plain punctuation, never markup, control characters or other fields of
// the body. Our own message for the failure class always comes first.

export const EXCERPT_MAX = 120;

/** A short, plain-text excerpt, or null when nothing useful is left. */
export function remoteExcerpt(text: string | null | undefined, max = EXCERPT_MAX): string | null {
  if (!text) return null;
  const plain = text
    .normalize("NFKC")
    .replace(/<[^>]*>/g, " ")
    .replace(/[^\p{L}\p{N} .,:;()'_/@#%+=-]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (!plain) return null;
  return plain.length > max ? `${plain.slice(0, max - 1).trimEnd()}…` : plain;
}

/** `message` followed by ` (remote: "excerpt")` when there is an excerpt. */
export function withExcerpt(message: string, remote: string | null | undefined, label = "ServiceNow said"): string {
  const excerpt = remoteExcerpt(remote);
  return excerpt ? `${message} ${label}: "${excerpt}"` : message;
}
