import { z } from "zod";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no", ""])
  .transform((v) => v === "true" || v === "1" || v === "yes");

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
    ENSEMBLE_HOST_RETRY_AFTER_SECONDS: z.coerce.number().int().min(1).max(7 * 86400).default(1800),
    // Sentiment reports: k below 11 would publish breakdowns small enough to single people out.
    ENSEMBLE_REPORT_MIN_AUTHORS: z.coerce
      .number()
      .int("must be a whole number of distinct authors")
      .min(11, "must be at least 11: smaller groups could single people out (it may only be raised)")
      .default(11),
    ENSEMBLE_REPORT_EPSILON: z.coerce.number().positive("must be a positive number (leave unset for exact figures)").finite().optional(),
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
    /** Laplace noise budget of each published report; undefined: exact figures. */
    reportEpsilon: env.ENSEMBLE_REPORT_EPSILON,
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
