const express = require("express");
const bcrypt = require("bcrypt");
const { MongoClient } = require("mongodb");

const client = new MongoClient(process.env.MONGO_URL);
const app = express();
app.use(express.json());

app.post("/api/login", async (req, res) => {
  const username = String(req.body.username || "");
  const password = String(req.body.password || "");
  const users = client.db("app").collection("users");
  const user = await users.findOne({ username: username });
  const ok = user ? await bcrypt.compare(password, user.passwordHash) : false;
  if (!ok) {
    return res.status(401).json({ error: "invalid credentials" });
  }
  res.json({ id: user._id });
});

client.connect().then(() => app.listen(3000));
