// expect: secret-slack-webhook
const SLACK_WEBHOOK = "https://hooks.slack.com/services/TFAKE0000/BFAKE0000/FAKEfake0000FAKEfake0000";

export async function notifyDeploy(service: string, version: string): Promise<void> {
  await fetch(SLACK_WEBHOOK, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ text: `Deployed ${service} ${version}` }),
  });
}
