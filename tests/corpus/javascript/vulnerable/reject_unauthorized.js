// expect: js-tls-reject-unauthorized
const https = require("https");
const axios = require("axios");

const client = axios.create({
  baseURL: "https://billing.internal.example.com",
  httpsAgent: new https.Agent({ rejectUnauthorized: false }),
  timeout: 5000,
});

module.exports = client;
