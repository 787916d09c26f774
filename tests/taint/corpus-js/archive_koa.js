const Koa = require("koa");
const Router = require("@koa/router");
const bodyParser = require("koa-bodyparser");
const { spawn } = require("child_process");

const app = new Koa();
const router = new Router();

router.post("/archives", async (ctx) => {
  const { name, folder } = ctx.request.body;
  const archiveName = `${name}.tar.gz`;

  const exitCode = await new Promise((resolve) => {
    const child = spawn("tar", ["-czf", archiveName, folder], {
      cwd: "/var/data/exports",
      shell: true,
    });
    child.on("close", resolve);
  });

  ctx.body = { archive: archiveName, ok: exitCode === 0 };
});

app.use(bodyParser());
app.use(router.routes());
app.listen(4000);
