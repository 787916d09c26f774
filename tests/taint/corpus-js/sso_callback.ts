import Koa from "koa";
import Router from "@koa/router";

const app = new Koa();
const router = new Router();

async function exchangeCode(code: string): Promise<{ userId: string }> {
  return { userId: code.slice(0, 8) };
}

router.get("/sso/callback", async (ctx) => {
  const code = String(ctx.query.code ?? "");
  const { userId } = await exchangeCode(code);
  ctx.cookies.set("uid", userId, { httpOnly: true });

  const returnTo = (ctx.query.returnTo as string) || "/";
  ctx.redirect(returnTo);
});

app.use(router.routes());
app.listen(3000);
