const express = require("express");
const { MongoClient } = require("mongodb");

const client = new MongoClient(process.env.MONGO_URL);
const app = express();
app.use(express.json());

app.post("/api/login", async (req, res) => {
  const users = client.db("app").collection("users");
  const user = await users.findOne({
    username: req.body.username,
    password: req.body.password,
  });
  if (!user) {
    return res.status(401).json({ error: "invalid credentials" });
  }
  res.json({ id: user._id, username: user.username });
});

client.connect().then(() => app.listen(3000));
