const Koa = require("koa");
const Router = require("@koa/router");
const fs = require("fs");
const path = require("path");

const LOG_ROOT = "/var/log/myapp";
const app = new Koa();
const router = new Router();

router.get("/logs", async (ctx) => {
  const name = ctx.query.name || "app.log";
  const logPath = path.resolve(LOG_ROOT, name);
  ctx.type = "text/plain";
  ctx.body = fs.createReadStream(logPath);
});

app.use(router.routes()).use(router.allowedMethods());
app.listen(3000);
