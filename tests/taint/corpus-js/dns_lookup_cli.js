#!/usr/bin/env node
const { exec } = require("child_process");

const host = process.argv[2];
const recordType = process.argv[3] || "A";

if (!host) {
  console.error("usage: dns-lookup <host> [type]");
  process.exit(1);
}

const command = "nslookup -type=" + recordType + " " + host;

exec(command, (error, stdout, stderr) => {
  if (error) {
    console.error(stderr);
    process.exit(2);
  }
  console.log(stdout);
});
