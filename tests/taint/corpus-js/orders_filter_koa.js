const Koa = require("koa");
const bodyParser = require("koa-bodyparser");
const { MongoClient } = require("mongodb");

const mongo = new MongoClient(process.env.MONGO_URL);
const app = new Koa();
app.use(bodyParser());

app.use(async (ctx) => {
  if (ctx.path !== "/orders/query" || ctx.method !== "POST") {
    ctx.status = 404;
    return;
  }
  const { filter = {}, limit = 50 } = ctx.request.body;
  const orders = mongo.db("shop").collection("orders");
  ctx.body = await orders.find(filter).limit(Math.min(Number(limit) || 50, 200)).toArray();
});

mongo.connect().then(() => app.listen(3000));
