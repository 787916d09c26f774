// expect: secret-openai-api-key
import OpenAI from "openai";

const openai = new OpenAI({
  apiKey: "sk-proj-FAKEfake0000FAKEfake0000FAKEfake0000FAKEfake00",
});

export async function summarize(text) {
  const completion = await openai.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: `Summarize:\n${text}` }],
  });
  return completion.choices[0].message.content;
}
