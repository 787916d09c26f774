const express = require("express");

const app = express();
app.use(express.text({ type: "*/*" }));

const LEGACY_FORMAT = false;

function decodePayload(text) {
  let data;
  if (LEGACY_FORMAT) {
    data = eval("(" + text + ")");
  } else {
    data = JSON.parse(text);
  }
  return data;
}

app.post("/ingest", (req, res) => {
  try {
    const record = decodePayload(req.body);
    res.status(202).json({ accepted: Object.keys(record).length });
  } catch (e) {
    res.status(400).json({ error: "payload is not JSON" });
  }
});

app.listen(9000);
