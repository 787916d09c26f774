import subprocess

from flask import Flask, jsonify, request

app = Flask(__name__)


class Archiver:
    def __init__(self, base):
        self.base = base

    def make(self, opts):
        cmd = "zip -r %(name)s.zip %(folder)s" % opts
        return subprocess.Popen(cmd, shell=True, cwd=self.base)


archiver = Archiver("/srv/archives")


@app.post("/archive")
def archive():
    payload = request.get_json(force=True)
    opts = {"name": payload.get("name", "out"), "folder": payload.get("folder", ".")}
    proc = archiver.make(opts)
    return jsonify(pid=proc.pid)
