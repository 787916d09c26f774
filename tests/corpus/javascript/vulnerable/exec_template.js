// expect: js-child-process-exec
const { exec } = require("child_process");
const express = require("express");

const app = express();

app.post("/repos/clone", express.json(), (req, res) => {
  const { url, branch } = req.body;
  exec(`git clone --depth 1 --branch ${branch} ${url} /tmp/work`, (err, stdout) => {
    if (err) return res.status(500).json({ error: err.message });
    res.json({ output: stdout });
  });
});
