package haproxycfg

// hasFrontend: the section's log settings are used (defaults pass them on,
// frontends and listens log with them; backends do not log traffic).
func (p *proxyState) hasFrontend() bool { return p.kind != sectionBackend }

// mode reads "mode http|tcp|log|spop".
func (r *reader) mode(kwm string, w []string) error {
	if kwm != "" {
		return r.err("mode", "'"+kwm+"' is not supported here")
	}
	if len(w) < 2 {
		return r.err("mode", "expects 'http' or 'tcp'")
	}
	if len(w) > 2 {
		return r.err("mode", "unexpected argument '"+w[2]+"'")
	}
	switch w[1] {
	case "http", "tcp", "log", "spop":
	case "health":
		return r.err("mode", "'mode health' does not exist any more (HAProxy 2.4+)")
	default:
		return r.err("mode", "unknown mode '"+w[1]+"' (want 'http' or 'tcp')")
	}
	r.cur.mode, r.cur.modeAt = w[1], r.here()
	return nil
}

// logFormat reads "log-format <fmt>" and "error-log-format <fmt>": exactly
// one word, as HAProxy wants.
func (r *reader) logFormat(kwm string, w []string) error {
	kw := w[0]
	if kwm != "" {
		return r.err(kw, "'"+kwm+"' is not supported here")
	}
	if len(w) < 2 || w[1] == "" {
		return r.err(kw, "expects an argument")
	}
	if len(w) > 2 {
		return r.err(kw, "expects only one argument, don't forget to escape spaces (or quote the format)")
	}
	p := r.cur
	if !p.hasFrontend() {
		r.warn("backend '" + p.name + "' : '" + kw + "' directive is ignored in backends")
		return nil
	}
	if kw == "error-log-format" {
		if p.kind == sectionDefaults && p.errFormat != "" {
			r.warn("'error-log-format' overrides the previous one in 'defaults' section")
		}
		p.errFormat, p.errFormatAt = w[1], r.here()
		return nil
	}
	r.setFormat(w[1], "log-format")
	return nil
}

// setFormat records the proxy's log format and who set it.
func (r *reader) setFormat(format, by string) {
	p := r.cur
	if p.kind == sectionDefaults && p.formatBy != "" {
		r.warn("'" + by + "' overrides previous '" + p.formatBy + "' in 'defaults' section")
	}
	p.format, p.formatBy, p.formatAt = format, by, r.here()
}

// option reads the options that decide what is logged; others are skipped.
func (r *reader) option(kwm string, w []string) error {
	if len(w) < 2 || w[1] == "" {
		return r.err("option", "expects an option name")
	}
	name := w[1]
	switch name {
	case "dontlog-normal":
		if len(w) > 2 {
			return r.err("option", "'option "+name+"' cannot handle unexpected argument '"+w[2]+"'")
		}
		if !r.cur.hasFrontend() {
			r.warn("'" + name + "' ignored because backend '" + r.cur.name + "' has no frontend capability")
			return nil
		}
		r.cur.dontLogNormal, r.cur.dontLogNormalAt = kwm == "", r.here()
		return nil
	case "httplog", "httpslog", "tcplog":
	default:
		return nil
	}
	if kwm != "" {
		return r.err("option", "negation/default is not supported for option '"+name+"'")
	}
	option := name
	switch {
	case len(w) == 2:
	case name == "httpslog":
		r.warn("'option httpslog': argument '" + w[2] + "' ignored (as HAProxy 2.6 does)")
	case w[2] != "clf":
		return r.err("option", "keyword '"+name+"' only supports option 'clf'")
	case len(w) > 3:
		return r.err("option", "'option "+name+" clf' cannot handle unexpected argument '"+w[3]+"'")
	default:
		option += " clf"
	}
	if !r.cur.hasFrontend() {
		r.warn("backend '" + r.cur.name + "' : 'option " + option + "' directive is ignored in backends")
		return nil
	}
	format, _ := Builtin(option)
	r.setFormat(format, "option "+option)
	return nil
}

// finish applies what HAProxy decides once every file is read (the HTTP
// format of a TCP proxy falls back to tcplog) and builds the result.
func (r *reader) finish() (*Config, error) {
	cfg := &r.cfg
	for _, p := range r.proxies {
		if p.mode != "http" {
			r.fallBackToTCP(p)
		}
		mode := p.mode
		if mode == "" {
			mode = "tcp"
		}
		cfg.Proxies = append(cfg.Proxies, &Proxy{
			Name: p.name, Section: sectionWord(p.kind), At: p.at,
			Defaults: p.defaults, DefaultsAt: p.defaultsAt,
			Mode: mode, ModeAt: p.modeAt,
			Format: p.format, FormatBy: p.formatBy, FormatAt: p.formatAt,
			ErrorFormat: p.errFormat, ErrorFormatAt: p.errFormatAt,
			DontLogNormal: p.dontLogNormal, DontLogNormalAt: p.dontLogNormalAt,
		})
	}
	return cfg, nil
}

// fallBackToTCP is HAProxy 2.6's proxy_cfg_ensure_no_http for log formats:
// httplog, httplog clf and httpslog become tcplog in a proxy whose mode is
// not http (the place stays where the option was written, as in HAProxy's
// warning). 2.6 does so even when the proxy switches to HTTP
// (switch-mode http, an HTTP backend): TestAcceptedByHAProxy checks it.
func (r *reader) fallBackToTCP(p *proxyState) {
	switch p.formatBy {
	case "option httplog", "option httplog clf", "option httpslog":
	default:
		return
	}
	said := p.formatBy
	if said == "option httplog clf" {
		said = "option httplog" // 2.6's words for both
	}
	r.cfg.Warnings = append(r.cfg.Warnings, Warning{At: p.formatAt,
		Text: "'" + said + "' not usable with " + sectionWord(p.kind) + " '" + p.name +
			"' (needs 'mode http'). Falling back to 'option tcplog'"})
	p.format, p.formatBy = TCPLog, "option tcplog"
}
