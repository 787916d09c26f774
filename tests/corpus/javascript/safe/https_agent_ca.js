const fs = require("fs");
const https = require("https");
const axios = require("axios");

const client = axios.create({
  baseURL: "https://billing.internal.example.com",
  httpsAgent: new https.Agent({ ca: fs.readFileSync("/etc/ssl/internal-ca.pem") }),
  timeout: 5000,
});

module.exports = client;
