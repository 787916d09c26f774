import OpenAI from "openai";

// The key comes from the environment: OPENAI_API_KEY=sk-... in your shell, never in code.
const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });

export async function summarize(text) {
  const completion = await openai.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: `Summarize:\n${text}` }],
  });
  return completion.choices[0].message.content;
}
