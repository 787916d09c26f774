const express = require("express");
const axios = require("axios");

const app = express();
const github = axios.create({
  baseURL: "https://api.github.com",
  timeout: 4000,
  headers: { Accept: "application/vnd.github+json" },
});

app.get("/profiles/:login", async (req, res) => {
  const login = encodeURIComponent(req.params.login);
  try {
    const { data } = await axios.get("https://api.github.com/users/" + login, { timeout: 4000 });
    res.json({ login: data.login, name: data.name, repos: data.public_repos });
  } catch (err) {
    res.status(404).json({ error: "no such user" });
  }
});

module.exports = { app, github };
