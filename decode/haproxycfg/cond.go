package haproxycfg

import (
	"strconv"
	"strings"
)

// cond is one open .if block (HAProxy 2.4+ conditional blocks).
type cond struct {
	line   int  // where the .if is
	parent bool // the lines around the block are read
	taken  bool // a branch of this block was chosen already
	active bool // the current branch is read
	inElse bool
}

func (r *reader) active() bool {
	return len(r.conds) == 0 || r.conds[len(r.conds)-1].active
}

// condLine handles .if/.elif/.else/.endif and the .diag/.notice/.warning/
// .alert messages. handled is false for any other word starting with '.'.
func (r *reader) condLine(w []string) (handled bool, err error) {
	switch w[0] {
	case ".if":
		c := cond{line: r.lineNo, parent: r.active()}
		if c.parent {
			ok, err := r.evalCond(w)
			if err != nil {
				return true, err
			}
			c.active, c.taken = ok, ok
		}
		r.conds = append(r.conds, c)
	case ".elif", ".else":
		if len(r.conds) == 0 {
			return true, r.err(w[0], "without a matching .if")
		}
		c := &r.conds[len(r.conds)-1]
		if c.inElse {
			return true, r.err(w[0], "after .else")
		}
		if w[0] == ".else" {
			c.inElse = true
			c.active = c.parent && !c.taken
			c.taken = true
			return true, nil
		}
		c.active = false
		if c.parent && !c.taken {
			ok, err := r.evalCond(w)
			if err != nil {
				return true, err
			}
			c.active, c.taken = ok, ok
		}
	case ".endif":
		if len(r.conds) == 0 {
			return true, r.err(".endif", "without a matching .if")
		}
		r.conds = r.conds[:len(r.conds)-1]
	case ".diag", ".notice":
	case ".warning":
		if r.active() {
			r.warn(strings.Join(w[1:], " "))
		}
	case ".alert":
		if r.active() {
			return true, r.err(".alert", strings.Join(w[1:], " "))
		}
	default:
		return false, nil
	}
	return true, nil
}

// evalCond evaluates the condition of a .if or .elif: terms joined by &&
// and || (&& first), each maybe negated by '!'. The terms read are numbers
// (0 is false), an empty string (false), defined(VAR), streq(a,b) and
// strneq(a,b); others (feature(), version_atleast() ...) depend on the
// HAProxy binary, which this reader cannot know, and are refused.
func (r *reader) evalCond(w []string) (bool, error) {
	expr := strings.Join(w[1:], " ")
	result := false
	for _, or := range strings.Split(expr, "||") {
		all := true
		for _, term := range strings.Split(or, "&&") {
			v, err := r.evalTerm(strings.TrimSpace(term))
			if err != nil {
				return false, r.err(w[0], err.Error())
			}
			all = all && v
		}
		result = result || all
	}
	return result, nil
}

type condError string

func (e condError) Error() string { return string(e) }

func (r *reader) evalTerm(t string) (bool, error) {
	neg := false
	for strings.HasPrefix(t, "!") {
		neg = !neg
		t = strings.TrimSpace(t[1:])
	}
	v, err := r.termValue(t)
	return v != neg, err
}

func (r *reader) termValue(t string) (bool, error) {
	if t == "" {
		return false, nil
	}
	if n, err := strconv.Atoi(t); err == nil {
		return n != 0, nil
	}
	open := strings.IndexByte(t, '(')
	if open <= 0 || !strings.HasSuffix(t, ")") {
		return false, condError("cannot read the condition term '" + t + "'")
	}
	fn, args := t[:open], strings.Split(t[open+1:len(t)-1], ",")
	switch {
	case fn == "defined" && len(args) == 1:
		if r.env == nil {
			return false, nil
		}
		_, ok := r.env(args[0])
		return ok, nil
	case fn == "streq" && len(args) == 2:
		return args[0] == args[1], nil
	case fn == "strneq" && len(args) == 2:
		return args[0] != args[1], nil
	}
	return false, condError("cannot evaluate '" + t + "': it depends on the HAProxy binary; this reader knows defined(), streq(), strneq() and numbers")
}
