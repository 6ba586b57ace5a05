import { z } from "zod";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no", ""])
  .transform((v) => v === "true" || v === "1" || v === "yes");

/** Defaults of the report privacy settings (README "Sentiment reports"). */
export const DEFAULT_REPORT_EPSILON = 2;
export const DEFAULT_MAX_NOTES_PER_AUTHOR = 3;
const perMinute = z.coerce.number().int("must be a whole number of requests per minute").min(0).max(1_000_000);

const schema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    ENSEMBLE_ORIGIN: z.url({ protocol: /^https?$/ }).optional(),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
      .optional(),
    ENSEMBLE_DATA_DIR: z.string().min(1).default("./data"),
    ENSEMBLE_ALLOW_PRIVATE_ADDRESS: bool.default(false),
    LOG_LEVEL: z.enum(["trace", "debug", "info", "warning", "error", "fatal"]).default("info"),
    ENSEMBLE_ROLE: z.enum(["all", "web", "worker"]).default("all"),
    ENSEMBLE_QUEUE_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(4),
    ENSEMBLE_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    LOG_FORMAT: z.enum(["pretty", "json"]).default("pretty"),
    ENSEMBLE_DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
    ENSEMBLE_HOST_FAILURE_LIMIT: z.coerce.number().int().min(1).max(1000).default(5),
    ENSEMBLE_HOST_RETRY_AFTER_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .max(7 * 86400)
      .default(1800),
    // Sentiment reports: k below 11 would publish breakdowns small enough to single people out.
    ENSEMBLE_REPORT_MIN_AUTHORS: z.coerce
      .number()
      .int("must be a whole number of distinct authors")
      .min(11, "must be at least 11: smaller groups could single people out (it may only be raised)")
      .default(11),
    // Differential privacy of public reports: on by default. "off" publishes exact figures and is
    // meant for evaluating the model on data that is not personal (npm run report:eval).
    ENSEMBLE_REPORT_EPSILON: z
      .union([
        z.literal("off"),
        z.coerce
          .number()
          .positive("must be a positive number, or off")
          .max(20, "must be at most 20 (beyond, the noise protects nobody)"),
      ])
      .default(DEFAULT_REPORT_EPSILON),
    ENSEMBLE_REPORT_MAX_NOTES_PER_AUTHOR: z.coerce
      .number()
      .int("must be a whole number of notes")
      .min(1)
      .max(50)
      .default(DEFAULT_MAX_NOTES_PER_AUTHOR),
    // Floods: requests per minute; 0 turns a limit off.
    ENSEMBLE_RATE_INBOX_SERVER: perMinute.default(600),
    ENSEMBLE_RATE_INBOX_ACTOR: perMinute.default(60),
    ENSEMBLE_RATE_INBOX_ADDRESS: perMinute.default(1200),
    ENSEMBLE_RATE_SIGNIN: perMinute.default(20),
    ENSEMBLE_RATE_REPORTS: perMinute.default(60),
    ENSEMBLE_TRUST_PROXY: bool.default(false),
    // Votes are folded into one poll Update per campaign per interval, as Mastodon batches its own.
    ENSEMBLE_TALLY_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(86400).default(180),
    // --- public site (branch site): shown in the footer of every public page ---
    ENSEMBLE_CONTACT: z
      .string()
      .regex(/^(https?:\/\/\S+|[^\s@:/]+@[^\s@:/]+\.[^\s@:/]+)$/, "must be an e-mail address or an http(s):// URL")
      .optional(),
    ENSEMBLE_RULES_URL: z.url({ protocol: /^https?$/ }).optional(),
  })
  .transform((env) => ({
    port: env.PORT,
    origin: (env.ENSEMBLE_ORIGIN ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ""),
    databaseUrl: env.DATABASE_URL,
    dataDir: env.ENSEMBLE_DATA_DIR,
    allowPrivateAddress: env.ENSEMBLE_ALLOW_PRIVATE_ADDRESS,
    logLevel: env.LOG_LEVEL,
    role: env.ENSEMBLE_ROLE,
    queueConcurrency: env.ENSEMBLE_QUEUE_CONCURRENCY,
    dbPoolSize: env.ENSEMBLE_DB_POOL_SIZE,
    logFormat: env.LOG_FORMAT,
    delivery: {
      maxAttempts: env.ENSEMBLE_DELIVERY_MAX_ATTEMPTS,
      hostFailureLimit: env.ENSEMBLE_HOST_FAILURE_LIMIT,
      hostRetryAfterSeconds: env.ENSEMBLE_HOST_RETRY_AFTER_SECONDS,
    },
    reportMinAuthors: env.ENSEMBLE_REPORT_MIN_AUTHORS,
    /** Differential-privacy budget ε of each published window; undefined ("off"): exact figures. */
    reportEpsilon: env.ENSEMBLE_REPORT_EPSILON === "off" ? undefined : env.ENSEMBLE_REPORT_EPSILON,
    /** At most this many notes of one author count in one window (bounds one person's weight). */
    reportMaxNotesPerAuthor: env.ENSEMBLE_REPORT_MAX_NOTES_PER_AUTHOR,
    /** Requests per minute (0: no limit) for each flood guard; see src/http/floods.ts. */
    rateLimits: {
      inboxServer: env.ENSEMBLE_RATE_INBOX_SERVER,
      inboxActor: env.ENSEMBLE_RATE_INBOX_ACTOR,
      inboxAddress: env.ENSEMBLE_RATE_INBOX_ADDRESS,
      signin: env.ENSEMBLE_RATE_SIGNIN,
      reports: env.ENSEMBLE_RATE_REPORTS,
    },
    /** Take the client's address from the last `X-Forwarded-For` entry (one reverse proxy in front). */
    trustProxy: env.ENSEMBLE_TRUST_PROXY,
    /** Seconds between two tally Updates of one campaign. */
    tallyIntervalSeconds: env.ENSEMBLE_TALLY_INTERVAL_SECONDS,
    /** Who to write to about this server: an e-mail address or a web page; unset: not shown. */
    contact: env.ENSEMBLE_CONTACT,
    /** The instance's rules; unset: the footer links to the community's governance page. */
    rulesUrl: env.ENSEMBLE_RULES_URL,
  }));

export type Config = z.output<typeof schema>;

export class ConfigError extends Error {}

/** Reads the environment once at start; every bad value is named with the reason. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(defined);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
  throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
}
