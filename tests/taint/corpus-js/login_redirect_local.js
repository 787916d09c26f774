const express = require("express");

const app = express();
app.use(express.urlencoded({ extended: false }));

function localPath(candidate) {
  if (typeof candidate !== "string") return "/dashboard";
  if (!candidate.startsWith("/")) return "/dashboard";
  if (candidate.startsWith("//") || candidate.startsWith("/\\")) return "/dashboard";
  return candidate;
}

app.post("/login", (req, res) => {
  if (req.body.password !== process.env.ADMIN_PASSWORD) {
    return res.status(401).send("nope");
  }
  const target = localPath(req.query.next);
  res.redirect(target);
});

app.listen(3000);
