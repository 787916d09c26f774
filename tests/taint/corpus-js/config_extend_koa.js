const Koa = require("koa");
const bodyParser = require("koa-bodyparser");

const app = new Koa();
const baseConfig = { retries: 3, cache: { ttl: 60 } };

function extend(dest, src) {
  for (const prop in src) {
    if (typeof src[prop] === "object" && src[prop] !== null) {
      dest[prop] = extend(dest[prop] || {}, src[prop]);
    } else {
      dest[prop] = src[prop];
    }
  }
  return dest;
}

app.use(bodyParser({ enableTypes: ["text"] }));
app.use(async (ctx) => {
  const overrides = JSON.parse(ctx.request.body || "{}");
  const effective = extend(extend({}, baseConfig), overrides);
  ctx.body = effective;
});

app.listen(3000);
