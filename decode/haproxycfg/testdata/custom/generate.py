#!/usr/bin/env python3
"""Real HAProxy lines written with custom log-formats, for the haproxy.cfg
reader's and the log-format decoder's tests.

It is a scenario for the corpus generator in the workspace's shared corpus
(../shared/corpus: harness.py, servers.py, clients.py), run with its harness:

    CORPUS_OUT=$PWD python3 generate.py /path/to/shared/corpus

and writes here fmt_custom.log (RFC 3164 over UDP), fmt_custom.rfc5424.log,
fmt_custom.raw.log (log stdout format raw), fmt_custom.cfg (the config that
ran, $WORK for its temp dir) and fmt_custom.expect.jsonl: one object per
request with what the line must decode to (kind "request"), or per
connection error written with fe_tls_err's error-log-format ("conn_error").
"""
import os
import shutil
import sys
import time

sys.path.insert(0, sys.argv[1] if len(sys.argv) > 1 else "/work/shared/corpus")
import clients as C  # noqa: E402
import harness  # noqa: E402
from harness import APP, REFUSED, TCPCMD  # noqa: E402

def config():
    return r"""
defaults
    log global
    mode http
    option httplog
    retries 0
    timeout connect 500ms
    timeout client 2s
    timeout server 1s
    timeout http-request 1s

# key=value, every field named by the format
frontend fe_kv
    bind 127.0.0.1:18500
    log-format "client=%%ci:%%cp fe=%%ft be=%%b srv=%%s t=%%TR/%%Tw/%%Tc/%%Tr/%%Ta st=%%ST bytes=%%B ts=%%tsc conn=%%ac/%%fc/%%bc/%%sc/%%rc q=%%sq/%%bq %%{+Q}r"
    use_backend be_refused if { path_beg /refused }
    default_backend be_app

# JSON, written by hand as 2.6 has no %%{+json}
frontend fe_json
    bind 127.0.0.1:18501
    log-format '{"client":"%%ci","port":%%cp,"frontend":"%%ft","backend":"%%b","server":"%%s","status":%%ST,"bytes":%%B,"ta":%%Ta,"term":"%%tsc","method":"%%HM","path":"%%HP","version":"%%HV"}'
    use_backend be_refused if { path_beg /refused }
    default_backend be_app

# TCP
frontend fe_tcpfmt
    bind 127.0.0.1:18502
    mode tcp
    log-format "%%ci:%%cp [%%t] %%ft %%b/%%s tw=%%Tw tc=%%Tc tt=%%Tt bytes=%%B ts=%%ts"
    default_backend be_tcp

# sample fetches, +Q and +X, a unique id
frontend fe_sample
    bind 127.0.0.1:18503
    unique-id-format %%{+X}o\ %%ci:%%cp_%%fi:%%fp_%%Ts_%%rt:%%pid
    # 2.6 refuses %%[req.hdr(...)] in a log-format (the headers are gone when
    # the line is written): a variable and a capture keep them.
    http-request set-var(txn.host) req.hdr(host)
    http-request capture req.hdr(user-agent) len 64
    log-format "%%{+X}ci:%%{+X}cp [%%tr] %%ft %%ST %%{+Q}[var(txn.host)] %%{+Q}[capture.req.hdr(0)] id=%%ID src=%%[src] %%{+Q}r"
    use_backend be_refused if { path_beg /refused }
    default_backend be_app

# a TLS frontend whose connection errors have a format of their own
frontend fe_tls_err
    bind 127.0.0.1:18505 ssl crt %(pem)s
    error-log-format "tls-error client=%%ci:%%cp [%%tr] fe=%%ft conns=%%ac/%%fc err=%%[fc_err] ssl=%%[ssl_fc_err,hex] %%{+Q}[fc_err_str]"
    log-format "tls client=%%ci:%%cp fe=%%ft st=%%ST ts=%%tsc %%{+Q}r"
    default_backend be_app

defaults web_kv
    log global
    mode http
    timeout connect 500ms
    timeout client 2s
    timeout server 1s
    log-format "from=named-defaults client=%%ci:%%cp fe=%%ft st=%%ST ts=%%tsc %%{+Q}r"

# inheriting its format from the named defaults section
frontend fe_named from web_kv
    bind 127.0.0.1:18504
    use_backend be_refused_named if { path_beg /refused }
    default_backend be_app_named

backend be_app from web_kv
    server app1 127.0.0.1:%(app)d

backend be_app_named from web_kv
    server app1 127.0.0.1:%(app)d

backend be_refused from web_kv
    server dead1 127.0.0.1:%(refused)d

backend be_refused_named from web_kv
    server dead1 127.0.0.1:%(refused)d

backend be_tcp from web_kv
    mode tcp
    server echo1 127.0.0.1:%(tcp)d
""" % {"app": APP, "refused": REFUSED, "tcp": TCPCMD, "pem": harness.ensure_cert()}


def expect(ctx, rid, fe, client, status, state, **fields):
    ctx.expect(rid, client, state, status, fmt="custom", frontend=fe, checks=fields or None)


def run(ctx):
    ctx.haproxy(config())
    for fe, port in (("fe_kv", 18500), ("fe_json", 18501), ("fe_sample", 18503), ("fe_named", 18504)):
        r = C.http_get(port, "/ok?id=%s-ok" % fe, headers={"User-Agent": "corpus-client/1.0 (custom)"})
        expect(ctx, fe + "-ok", fe, r["client"], 200, "----")
        r = C.http_get(port, "/status/404?id=%s-404" % fe)
        expect(ctx, fe + "-404", fe, r["client"], 404, "----")
        r = C.http_get(port, "/refused?id=%s-SC" % fe)
        expect(ctx, fe + "-SC", fe, r["client"], 503, "SC--")
    s, me = C.connect(18502, timeout=6)
    s.sendall(b"ECHO hello\n")
    s.settimeout(3)
    try:
        s.recv(4096)
    except OSError:
        pass
    s.close()
    expect(ctx, "fe_tcpfmt-echo", "fe_tcpfmt", me, None, "--")
    r = C.send_raw(18505, b"GET /plain-http-to-tls HTTP/1.0\r\n\r\n", then="close", wait=0.3)
    ctx.expect_error("fe_tls_err-plain", r["client"], r"tls-error client=.* fe=fe_tls_err~? .*SSL handshake failure")
    time.sleep(0.5)


def main():
    os.makedirs(harness.OUT, exist_ok=True)
    os.makedirs(harness.WORK, exist_ok=True)
    shared = harness.Shared()
    ctx = harness.Ctx("fmt_custom", shared)
    try:
        ctx.start_receiver()
        run(ctx)
    finally:
        try:
            ctx.cleanup()
        finally:
            time.sleep(0.3)
            ctx.stop_receiver()
            ctx.write_expectations()
    # The certificate lives in the harness's work directory, beside $WORK.
    cfg = os.path.join(harness.OUT, "fmt_custom.cfg")
    with open(cfg) as f:
        text = f.read().replace(os.path.join(harness.WORK, "tls"), "$WORK/../tls")
    with open(cfg, "w") as f:
        f.write(text)
    print("fmt_custom: ok")
    os._exit(0)  # the shared servers' threads


if __name__ == "__main__":
    main()
