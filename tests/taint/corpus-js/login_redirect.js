const express = require("express");
const session = require("express-session");

const app = express();
app.use(express.urlencoded({ extended: false }));
app.use(session({ secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false }));

async function checkCredentials(username, password) {
  return username === "demo" && password === process.env.DEMO_PASSWORD;
}

app.post("/login", async (req, res) => {
  const ok = await checkCredentials(req.body.username, req.body.password);
  if (!ok) {
    return res.status(401).send("invalid credentials");
  }
  req.session.user = req.body.username;
  const next = req.query.next || "/dashboard";
  res.redirect(next);
});

app.listen(3000);
