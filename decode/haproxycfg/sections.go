package haproxycfg

import "strings"

type sectionKind uint8

const (
	sectionNone sectionKind = iota
	sectionGlobal
	sectionDefaults
	sectionFrontend
	sectionListen
	sectionBackend
	sectionOther // userlist, peers, resolvers ...: skipped
)

// sectionKeywords are the words that open a section, wherever they appear
// (HAProxy 2.6's cfg_register_section calls, and those added up to 3.x).
var sectionKeywords = map[string]sectionKind{
	"global": sectionGlobal, "defaults": sectionDefaults,
	"frontend": sectionFrontend, "listen": sectionListen, "backend": sectionBackend,
	"userlist": sectionOther, "peers": sectionOther, "mailers": sectionOther,
	"namespace_list": sectionOther, "resolvers": sectionOther, "program": sectionOther,
	"http-errors": sectionOther, "ring": sectionOther, "cache": sectionOther,
	"log-forward": sectionOther, "fcgi-app": sectionOther, "crt-store": sectionOther,
	"traces": sectionOther, "acme": sectionOther,
}

// settings are what a proxy inherits from its defaults section.
type settings struct {
	mode            string
	modeAt          Place
	format          string
	formatBy        string
	formatAt        Place
	errFormat       string
	errFormatAt     Place
	dontLogNormal   bool
	dontLogNormalAt Place
}

// proxyState is a defaults, frontend, listen or backend section being read.
type proxyState struct {
	kind sectionKind
	name string
	at   Place
	settings
	defaults   string
	defaultsAt Place
	// For a named defaults section: where it was first used by "from"
	// and where first by a proxy without "from".
	explicitAt, implicitAt Place
}

type reader struct {
	env    lookupFunc
	cfg    Config
	file   string
	lineNo int

	section   sectionKind
	sectionKw string
	cur       *proxyState

	lastDefaults *proxyState
	named        map[string]*proxyState // named defaults sections
	frontends    map[string]*proxyState // frontend and listen names
	backends     map[string]*proxyState // backend and listen names
	proxies      []*proxyState          // frontends and listens, in order
	conds        []cond
}

func newReader(env lookupFunc) *reader {
	return &reader{
		env:       withBuiltinVars(env),
		named:     map[string]*proxyState{},
		frontends: map[string]*proxyState{},
		backends:  map[string]*proxyState{},
	}
}

func (r *reader) sectionName() string { return r.sectionKw }

// directive reads one active line.
func (r *reader) directive(w []string) error {
	if kind, ok := sectionKeywords[w[0]]; ok {
		return r.openSection(kind, w)
	}
	if r.section == sectionNone {
		return r.err(w[0], "unknown keyword out of any section")
	}
	if r.cur == nil {
		return nil // global and the sections we skip
	}
	kwm := ""
	if (w[0] == "no" || w[0] == "default") && len(w) > 1 {
		kwm, w = w[0], w[1:]
	}
	switch w[0] {
	case "mode":
		return r.mode(kwm, w)
	case "log-format", "error-log-format":
		return r.logFormat(kwm, w)
	case "option":
		return r.option(kwm, w)
	}
	return nil
}

// openSection starts global, defaults, a proxy, or a section we skip.
func (r *reader) openSection(kind sectionKind, w []string) error {
	r.section, r.sectionKw, r.cur = kind, w[0], nil
	switch kind {
	case sectionGlobal, sectionOther:
		return nil
	case sectionDefaults:
		return r.openDefaults(w)
	}
	return r.openProxy(kind, w)
}

// openDefaults reads "defaults [<name>] [from <defaults>]" as HAProxy 2.6
// does: "defaults from X" is an anonymous section inheriting from X, any
// other first word is the name, and words after "<name> from X" (or after
// a name not followed by "from") are ignored.
func (r *reader) openDefaults(w []string) error {
	name, from, hasFrom := "", "", false
	switch {
	case len(w) == 3 && w[1] == "from" && w[2] != "":
		from, hasFrom = w[2], true
	case len(w) > 1:
		name = w[1]
		if len(w) > 2 && w[2] == "from" {
			if len(w) < 4 || w[3] == "" {
				return r.err("defaults", "'from' expects the name of a defaults section")
			}
			from, hasFrom = w[3], true
		}
		if extra := len(w) - 2; extra > 0 && !hasFrom || hasFrom && len(w) > 4 {
			r.warn("defaults: extra words after the name ignored (as HAProxy 2.6 does): " + strings.Join(w[2:], " "))
		}
	}
	if err := r.checkName("defaults", name); err != nil {
		return err
	}
	d := &proxyState{kind: sectionDefaults, name: name, at: r.here()}
	if hasFrom {
		parent, err := r.namedDefaults("defaults", from)
		if err != nil {
			return err
		}
		d.settings = parent.settings
		d.defaults, d.defaultsAt = parent.name, parent.at
		r.useDefaults(parent, true)
	}
	r.cur = d
	r.lastDefaults = d
	if name != "" {
		r.named[name] = d
	}
	return nil
}

// openProxy reads "frontend|listen|backend <name> [from <defaults>]".
func (r *reader) openProxy(kind sectionKind, w []string) error {
	kw := w[0]
	if len(w) < 2 || w[1] == "" {
		return r.err(kw, "expects a name")
	}
	name := w[1]
	if err := r.checkName(kw, name); err != nil {
		return err
	}
	p := &proxyState{kind: kind, name: name, at: r.here()}
	switch {
	case len(w) == 2 || w[2] != "from" || len(w) < 4 || w[3] == "":
		if len(w) > 2 {
			// HAProxy 2.6 alerts and ignores them (the file still loads).
			r.warn(kw + " " + name + ": please use the 'bind' keyword for listening addresses; ignored: " + strings.Join(w[2:], " "))
		}
		if d := r.lastDefaults; d != nil {
			p.settings = d.settings
			p.defaults, p.defaultsAt = d.name, d.at
			r.useDefaults(d, false)
		}
	default: // <name> from <defaults>
		if len(w) > 4 {
			r.warn(kw + " " + name + ": extra words ignored: " + strings.Join(w[4:], " "))
		}
		d, err := r.namedDefaults(kw, w[3])
		if err != nil {
			return err
		}
		r.useDefaults(d, true)
		p.settings = d.settings
		p.defaults, p.defaultsAt = d.name, d.at
	}
	if kind == sectionFrontend || kind == sectionListen {
		if prev, dup := r.frontends[name]; dup {
			return r.err(kw, "'"+name+"' has the same name as the "+sectionWord(prev.kind)+" declared at "+prev.at.String())
		}
		r.frontends[name] = p
		r.proxies = append(r.proxies, p)
	}
	if kind == sectionBackend || kind == sectionListen {
		if prev, dup := r.backends[name]; dup && prev != p {
			return r.err(kw, "'"+name+"' has the same name as the "+sectionWord(prev.kind)+" declared at "+prev.at.String())
		}
		r.backends[name] = p
	}
	r.cur = p
	return nil
}

// useDefaults notes a use of a named defaults section: HAProxy 2.6 alerts
// (and starts all the same) at every use of one that is used both
// explicitly, by "from", and implicitly, as the last defaults section.
func (r *reader) useDefaults(d *proxyState, explicit bool) {
	if d.name == "" {
		return
	}
	if explicit {
		d.explicitAt = r.here()
	} else {
		d.implicitAt = r.here()
	}
	if d.explicitAt != (Place{}) && d.implicitAt != (Place{}) {
		r.warn("defaults section '" + d.name + "' (declared at " + d.at.String() + ") is explicitly referenced by another proxy and implicitly used here. " +
			"To avoid any ambiguity don't mix both usage. Add a last defaults section not explicitly used or always use explicit references")
	}
}

func (r *reader) namedDefaults(kw, name string) (*proxyState, error) {
	if name == "" {
		return nil, r.err(kw, "'from' expects the name of a defaults section")
	}
	d, ok := r.named[name]
	if !ok {
		return nil, r.err(kw, "defaults section '"+name+"' not found (it must be declared before)")
	}
	return d, nil
}

// checkName refuses the characters HAProxy refuses in proxy names
// (invalid_char: anything but letters, digits, '.', '-', '_' and ':').
func (r *reader) checkName(kw, name string) error {
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !isAlnum(c) && c != '.' && c != '-' && c != '_' && c != ':' {
			return r.err(kw, "character '"+string(rune(c))+"' is not permitted in the name '"+name+"'")
		}
	}
	return nil
}

func sectionWord(k sectionKind) string {
	switch k {
	case sectionFrontend:
		return "frontend"
	case sectionListen:
		return "listen"
	case sectionBackend:
		return "backend"
	case sectionDefaults:
		return "defaults section"
	}
	return "section"
}
