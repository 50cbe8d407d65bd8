// A real call of every read operation through the client that
// openapi-typescript-codegen generated from the served /openapi.yaml.
// To cover a new read operation, add one line to `reads` (run.sh fails
// when a GET operation of the document has none).
import {
  OpenAPI, AccountsService, CampaignsService, ConversationsService, CrmService, DoNotContactService,
  HealthService, ReviewService, ScheduledTweetsService, ScrapingSourcesService, WebhooksService,
} from "./api";

// Node's process, declared rather than typed by @types/node: one package
// less to pin.
declare const process: { env: Record<string, string | undefined>; exit(code: number): never };

OpenAPI.BASE = process.env.OUTREACH_URL!;
OpenAPI.HEADERS = { "X-API-Key": process.env.OUTREACH_KEY! };

async function main(): Promise<void> {
  // What the reads read, created through the client too.
  const added = await AccountsService.addAccount({
    handle: "clientcheck_ts",
    cookies: [{ name: "auth_token", value: "a", domain: ".x.com" }, { name: "ct0", value: "b", domain: ".x.com" }],
  });
  const accountId = added.account.id;
  const job = await AccountsService.startCredentialJob({ account_id: accountId });
  const source = await ScrapingSourcesService.createScrapingSource({ name: "Client check", sources: [{ handle: "paulg", followers: true }] });
  const hook = await WebhooksService.createWebhook({ url: "https://hooks.example.com/outreach" });

  const reads: Array<[string, () => Promise<unknown>]> = [
    ["get-health", () => HealthService.getHealth()],
    ["get-metrics", () => HealthService.getMetrics()],
    ["list-accounts", () => AccountsService.listAccounts()],
    ["get-account-health", () => AccountsService.getAccountHealth(accountId)],
    ["get-credential-job", () => AccountsService.getCredentialJob(job.job_id)],
    ["list-scraping-sources", () => ScrapingSourcesService.listScrapingSources()],
    ["list-scraping-sources (one)", () => ScrapingSourcesService.listScrapingSources(source.lead_source_id)],
    ["list-campaigns", () => CampaignsService.listCampaigns()],
    ["get-campaign-analytics", () => CampaignsService.getCampaignAnalytics()],
    ["list-conversations", () => ConversationsService.listConversations()],
    ["export-conversations", () => ConversationsService.exportConversations()],
    ["list-crm-conversations", () => CrmService.listCrmConversations()],
    ["list-crm-tags", () => CrmService.listCrmTags()],
    ["list-needs-review", () => ReviewService.listNeedsReview()],
    ["list-scheduled-tweets", () => ScheduledTweetsService.listScheduledTweets()],
    ["list-webhooks", () => WebhooksService.listWebhooks()],
    ["list-webhook-deliveries", () => WebhooksService.listWebhookDeliveries(hook.webhook.id)],
    ["list-do-not-contact", () => DoNotContactService.listDoNotContact()],
    ["export-do-not-contact", () => DoNotContactService.exportDoNotContact()],
  ];
  for (const [name, call] of reads) {
    const body = await call();
    // JSON operations answer an object, CSV exports and the metrics text.
    const ok = typeof body === "string" ? body.length > 0 : body !== null && typeof body === "object";
    if (!ok) {
      throw new Error(`${name}: answered ${JSON.stringify(body)}`);
    }
    console.log(`  ts  ${name}: ok ${JSON.stringify(body).slice(0, 100)}`);
  }
}

main().catch((err) => {
  console.error("TypeScript client:", err?.body ?? err);
  process.exit(1);
});
