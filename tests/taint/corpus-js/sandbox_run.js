const express = require("express");
const vm = require("vm");

const app = express();
app.use(express.json({ limit: "64kb" }));

app.post("/playground/run", (req, res) => {
  const script = req.body.script;
  const logs = [];
  const context = {
    console: { log: (...args) => logs.push(args.join(" ")) },
  };

  try {
    const value = vm.runInNewContext(script, context, { timeout: 1000 });
    res.json({ value, logs });
  } catch (e) {
    res.status(400).json({ error: String(e), logs });
  }
});

app.listen(5000);
