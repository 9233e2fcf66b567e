#!/usr/bin/env python3
"""A read-only stand-in for a Kubernetes API server, for `kubectl apply --dry-run=client` without a cluster.

`kubectl apply --dry-run=client` is not offline: it asks the API server which resource types exist
(discovery) and GETs each object to decide between create and patch. This stub answers exactly those
reads for the kinds used in config/ (v1 ConfigMap, Secret, Service, PersistentVolumeClaim; apps/v1
Deployment; flink.apache.org/v1beta1 FlinkDeployment, as if the operator's CRD were installed) and
404 for every object, so kubectl decodes, maps and "creates (dry run)" every manifest. It stores
nothing, accepts no writes, and listens on 127.0.0.1 only; validate.sh starts and stops it.

Usage: kubectl-discovery-stub.py PORT_FILE   (binds a free port and writes it to PORT_FILE)
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

RESOURCES = {
    "v1": [("configmaps", "ConfigMap"), ("secrets", "Secret"), ("services", "Service"),
           ("persistentvolumeclaims", "PersistentVolumeClaim")],
    "apps/v1": [("deployments", "Deployment")],
    "flink.apache.org/v1beta1": [("flinkdeployments", "FlinkDeployment")],
}
VERBS = ["create", "delete", "get", "list", "patch", "update", "watch"]


def resource_list(group_version):
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version,
            "resources": [{"name": name, "singularName": kind.lower(), "namespaced": True, "kind": kind,
                           "verbs": VERBS} for name, kind in RESOURCES[group_version]]}


def group_list():
    groups = []
    for group_version in RESOURCES:
        if "/" in group_version:
            group, version = group_version.split("/")
            entry = {"groupVersion": group_version, "version": version}
            groups.append({"name": group, "versions": [entry], "preferredVersion": entry})
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        path = self.path.split("?")[0]
        if path == "/version":
            return self.reply(200, {"major": "1", "minor": "32", "gitVersion": "v1.32.0-discovery-stub"})
        if path == "/api":
            return self.reply(200, {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": []})
        if path == "/apis":
            return self.reply(200, group_list())
        if path == "/api/v1":
            return self.reply(200, resource_list("v1"))
        for group_version in RESOURCES:
            if path == "/apis/" + group_version:
                return self.reply(200, resource_list(group_version))
        self.reply(404, {"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "NotFound",
                         "code": 404, "message": "the discovery stub holds no objects"})

    def refuse(self):
        self.reply(405, {"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "MethodNotAllowed",
                         "code": 405, "message": "the discovery stub is read-only"})

    do_POST = do_PUT = do_PATCH = do_DELETE = refuse


def main():
    server = HTTPServer(("127.0.0.1", 0), Handler)
    with open(sys.argv[1], "w") as port_file:
        port_file.write(str(server.server_address[1]))
    server.serve_forever()


if __name__ == "__main__":
    main()
