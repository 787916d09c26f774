// expect: secret-anthropic-api-key
import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic({
  apiKey: "sk-ant-api03-FAKEfake0000FAKEfake0000FAKEfake0000FAKEfake0000",
});

export async function classify(ticket: string): Promise<string> {
  const message = await client.messages.create({
    model: "claude-sonnet-4-5",
    max_tokens: 64,
    messages: [{ role: "user", content: `Classify this ticket: ${ticket}` }],
  });
  return message.content[0].type === "text" ? message.content[0].text : "";
}
