// A real call of every read operation through the client that
// openapi-typescript-codegen generated from the served /openapi.yaml.
// To cover a new read operation, add one line to `reads`.
import { OpenAPI, AccountsService, HealthService, WebhooksService } from "./api";

// Node's process, declared rather than typed by @types/node: one package
// less to pin.
declare const process: { env: Record<string, string | undefined>; exit(code: number): never };

OpenAPI.BASE = process.env.OUTREACH_URL!;
OpenAPI.HEADERS = { "X-API-Key": process.env.OUTREACH_KEY! };

async function main(): Promise<void> {
  // A webhook to read deliveries of; created through the client too.
  const created = await WebhooksService.createWebhook({ url: "https://hooks.example.com/outreach" });
  const webhookId = created.webhook.id;

  const reads: Array<[string, () => Promise<unknown>]> = [
    ["get-health", () => HealthService.getHealth()],
    ["list-accounts", () => AccountsService.listAccounts()],
    ["list-webhooks", () => WebhooksService.listWebhooks()],
    ["list-webhook-deliveries", () => WebhooksService.listWebhookDeliveries(webhookId)],
  ];
  for (const [name, call] of reads) {
    const body = await call();
    if (body === null || typeof body !== "object") {
      throw new Error(`${name}: answered ${JSON.stringify(body)}`);
    }
    console.log(`  ts  ${name}: ok ${JSON.stringify(body).slice(0, 100)}`);
  }
}

main().catch((err) => {
  console.error("TypeScript client:", err?.body ?? err);
  process.exit(1);
});
