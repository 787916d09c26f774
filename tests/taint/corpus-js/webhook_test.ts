import express, { Request, Response } from "express";
import axios from "axios";

const app = express();
app.use(express.json());

interface WebhookTest {
  callbackUrl: string;
  event?: string;
}

app.post("/webhooks/test", async (req: Request, res: Response) => {
  const body = req.body as WebhookTest;
  const payload = { event: body.event ?? "ping", sentAt: new Date().toISOString() };
  try {
    const reply = await axios.post(body.callbackUrl, payload, { timeout: 5000 });
    res.json({ delivered: true, status: reply.status });
  } catch (e) {
    res.json({ delivered: false });
  }
});

app.listen(4000);
