import socket, subprocess, time, os, array, sys
fmts = "local,short,priority,timed,iso,raw,rfc3164,rfc5424".split(',')
rx = []
for i, f in enumerate(fmts):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('127.0.0.1', 25500 + i)); s.settimeout(0.05); rx.append((s, open(f + '.log', 'wb')))
a, b = socket.socketpair()
cfg = ["global"] + ["  log 127.0.0.1:%d format %s local0" % (25500 + i, f) for i, f in enumerate(fmts)] + """
defaults
  mode http
  log global
  option httplog
  timeout connect 1s
  timeout client 2s
  timeout server 2s
frontend fe_fmt
  bind 127.0.0.1:25480
  http-request return status 200 content-type text/plain string ok
frontend fe_unix
  bind unix@/tmp/hcfg-fmt/fe.sock
  http-request return status 200 content-type text/plain string ok
frontend fe_abns
  bind abns@hcfgfmt
  http-request return status 200 content-type text/plain string ok
frontend fe_unix_clf
  bind unix@/tmp/hcfg-fmt/clf.sock
  option httplog clf
  http-request return status 200 content-type text/plain string ok
frontend fe_unix_tcp
  bind unix@/tmp/hcfg-fmt/tcp.sock
  mode tcp
  option tcplog
  tcp-request content reject
frontend fe_sockpair
  bind sockpair@%d
  http-request return status 200 content-type text/plain string ok
defaults plain
  mode http
  log global
  timeout connect 1s
  timeout client 2s
  timeout server 2s
frontend fe_unix_default from plain
  bind unix@/tmp/hcfg-fmt/dflt.sock
  http-request return status 200 content-type text/plain string ok
""".replace('%d', str(b.fileno())).splitlines()
open('h.cfg', 'w').write("\n".join(cfg) + "\n")
for n in ('fe', 'clf', 'tcp', 'dflt'):
    try: os.unlink('/tmp/hcfg-fmt/%s.sock' % n)
    except OSError: pass
hp = subprocess.Popen(['haproxy', '-db', '-f', 'h.cfg'], pass_fds=[b.fileno()], stderr=open('stderr.log', 'w'))
time.sleep(1)
def http(sock):
    sock.sendall(b'GET /p HTTP/1.0\r\nHost: x\r\n\r\n'); sock.recv(1000); sock.close()
s = socket.create_connection(('127.0.0.1', 25480)); http(s)
s = socket.socket(socket.AF_UNIX); s.connect('/tmp/hcfg-fmt/fe.sock'); http(s)
s = socket.socket(socket.AF_UNIX); s.connect(b'\0hcfgfmt'.ljust(108, b'\0')); http(s)
for n in ('clf', 'tcp', 'dflt'):
    s = socket.socket(socket.AF_UNIX); s.connect('/tmp/hcfg-fmt/%s.sock' % n)
    try: http(s)
    except OSError: pass
c1, c2 = socket.socketpair()
a.sendmsg([b'\0'], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array('i', [c2.fileno()]))]); c2.close(); http(c1)
end = time.time() + 1.5
while time.time() < end:
    for s, f in rx:
        try:
            d = s.recv(65536); f.write(d if d.endswith(b'\n') else d + b'\n'); f.flush()
        except socket.timeout: pass
hp.terminate(); hp.wait()
