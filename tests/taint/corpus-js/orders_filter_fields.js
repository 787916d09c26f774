const Koa = require("koa");
const bodyParser = require("koa-bodyparser");
const { MongoClient } = require("mongodb");

const mongo = new MongoClient(process.env.MONGO_URL);
const app = new Koa();
app.use(bodyParser());

const FILTERABLE = ["status", "customerId", "currency"];

function buildFilter(input) {
  const filter = {};
  for (const field of FILTERABLE) {
    if (input[field] !== undefined) {
      filter[field] = String(input[field]);
    }
  }
  return filter;
}

app.use(async (ctx) => {
  const filter = buildFilter(ctx.request.body || {});
  const orders = mongo.db("shop").collection("orders");
  ctx.body = await orders.find(filter).limit(50).toArray();
});

mongo.connect().then(() => app.listen(3000));
