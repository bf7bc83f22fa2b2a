// Sends a few calls with the real @segment/analytics-node client, then flushes.
// Usage: SEGMENT_HOST=http://127.0.0.1:PORT SEGMENT_WRITE_KEY=... node send.mjs
import { Analytics } from "@segment/analytics-node";

const analytics = new Analytics({
  writeKey: process.env.SEGMENT_WRITE_KEY,
  host: process.env.SEGMENT_HOST,
  flushInterval: 100,
  maxRetries: 1,
});

analytics.on("error", (error) => {
  console.error("analytics-node error:", error);
  process.exitCode = 1;
});

analytics.track({
  messageId: "node-track-1",
  userId: "acct_42",
  event: "api_call",
  properties: { tokens: 1532, model: "small", unmapped: "dropped" },
});
analytics.track({
  messageId: "node-track-2",
  anonymousId: "anon-77",
  userId: "98765",
  event: "payment_confirmed",
  properties: { amount: 100 },
});
analytics.identify({
  messageId: "node-identify-engage",
  userId: "user_123",
  traits: { lifetime_orders: 42 },
  context: {
    personas: { computation_class: "trait", computation_key: "lifetime_orders" },
  },
});
analytics.identify({
  messageId: "node-identify-plain",
  userId: "user_123",
  traits: { email: "someone@example.com" },
});

await analytics.closeAndFlush({ timeout: 10000 });
