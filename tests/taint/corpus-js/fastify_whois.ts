import Fastify from "fastify";
import { exec } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(exec);
const fastify = Fastify({ logger: true });

const DOMAIN_RE = /^(?!-)[a-z0-9-]{1,63}(\.[a-z0-9-]{1,63})+$/i;

interface WhoisQuery {
  domain: string;
}

fastify.get<{ Querystring: WhoisQuery }>("/whois", async (request, reply) => {
  const { domain } = request.query;
  if (typeof domain !== "string" || !DOMAIN_RE.test(domain)) {
    return reply.code(400).send({ error: "bad domain" });
  }
  const { stdout } = await run(`whois ${domain}`, { timeout: 10_000 });
  return { domain, record: stdout };
});

fastify.listen({ port: 3000 });
