/**
 * Configuration reference.
 *
 *   STRIPE_SECRET_KEY=sk_test_xxxxxxxxxxxxxxxxxxxxxxxx
 *   ANTHROPIC_API_KEY=<your key>
 *   DATABASE_URL=postgres://user:password@localhost:5432/app
 */
export interface AppConfig {
  stripeSecretKey: string;
  anthropicApiKey: string;
  databaseUrl: string;
}

export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  return {
    stripeSecretKey: env.STRIPE_SECRET_KEY ?? "",
    anthropicApiKey: env.ANTHROPIC_API_KEY ?? "",
    databaseUrl: env.DATABASE_URL ?? "",
  };
}
