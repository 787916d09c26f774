const express = require("express");

const app = express();
app.use(express.json());

const DEFAULTS = Object.freeze({ theme: "light", language: "en", pageSize: 25 });
const EDITABLE = ["theme", "language", "pageSize"];

function pick(source, keys) {
  const out = {};
  for (const key of keys) {
    if (Object.prototype.hasOwnProperty.call(source, key)) {
      out[key] = source[key];
    }
  }
  return out;
}

app.post("/profile/preferences", (req, res) => {
  const chosen = pick(req.body || {}, EDITABLE);
  const prefs = Object.assign({}, DEFAULTS, chosen);
  res.json(prefs);
});

app.listen(3000);
