// Typed application errors. Code decides the HTTP status (one map below); never branch on message text.

export const APP_ERROR_STATUS = {
  BAD_REQUEST: 400,
  MALFORMED_JSON: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  VALIDATION: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  /** The external system (Azure, Entra, ServiceNow) could not be reached or answered 5xx. */
  UPSTREAM_UNAVAILABLE: 502,
  /** Credentials for the external system were refused. */
  UPSTREAM_AUTH: 502,
  /** The external system refused the operation (ACL, data policy, missing role). */
  UPSTREAM_FORBIDDEN: 502,
  UPSTREAM_NOT_FOUND: 502,
  /** The external system rejected our input (e.g. unknown assignment group). */
  UPSTREAM_BAD_REQUEST: 502,
  UPSTREAM_RATE_LIMITED: 503,
  /** The request may or may not have taken effect upstream (timeout after send). */
  UPSTREAM_UNCERTAIN: 504,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type AppErrorCode = keyof typeof APP_ERROR_STATUS;

export type AppErrorOptions = {
  /** Internal message (logged). */
  message: string;
  /** Safe message for the user; defaults to `message` for 4xx, upstream errors and SERVICE_UNAVAILABLE (so write those for users), a generic text for other 5xx. */
  userMessage?: string;
  cause?: unknown;
  /** Extra structured data safe to return to the client (e.g. field errors). */
  details?: unknown;
  /** Whether retrying later may succeed (upstream throttling, outages). */
  isRetryable?: boolean;
  /** Seconds the caller should wait before retrying, when known. */
  retryAfterSeconds?: number;
};

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly userMessage: string;
  readonly details?: unknown;
  readonly isRetryable: boolean;
  readonly retryAfterSeconds?: number;

  constructor(code: AppErrorCode, opts: AppErrorOptions) {
    super(opts.message, { cause: opts.cause });
    this.name = "AppError";
    this.code = code;
    const status = APP_ERROR_STATUS[code];
    this.userMessage =
      opts.userMessage ??
      (status < 500 || code.startsWith("UPSTREAM_") || code === "SERVICE_UNAVAILABLE" ? opts.message : "Internal error");
    this.details = opts.details;
    this.isRetryable = opts.isRetryable ?? ["UPSTREAM_UNAVAILABLE", "UPSTREAM_RATE_LIMITED", "SERVICE_UNAVAILABLE"].includes(code);
    this.retryAfterSeconds = opts.retryAfterSeconds;
  }

  get status(): number {
    return APP_ERROR_STATUS[this.code];
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
