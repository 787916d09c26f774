const fastify = require("fastify")();

const ENTITIES = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

function encodeEntities(value) {
  return String(value).replace(/[&<>"']/g, (ch) => ENTITIES[ch]);
}

fastify.get("/report", async (request, reply) => {
  const title = encodeEntities(request.query.title || "Untitled");
  const author = encodeEntities(request.query.author || "unknown");
  const html = "<h1>" + title + "</h1><p>by " + author + "</p>";
  reply.type("text/html").send(html);
});

fastify.listen({ port: 3000 });
