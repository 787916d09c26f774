const Koa = require("koa");

const app = new Koa();

app.use(async (ctx, next) => {
  await next();
  if (ctx.status !== 404) {
    return;
  }
  const referrer = ctx.query.ref || "home";
  const page =
    "<html><body><h1>Page not found</h1>" +
    "<p>You came from " + referrer + ".</p>" +
    '<a href="/">Back</a></body></html>';
  ctx.type = "html";
  ctx.body = page;
});

app.use(async (ctx) => {
  if (ctx.path === "/") {
    ctx.body = "welcome";
  }
});

app.listen(3000);
