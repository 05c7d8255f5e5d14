package report

// Merge adds the sums of o (filled by Count) to r. o is not used after:
// what r does not have yet (the first part's every backend) is taken from
// it, not copied (the merges end the report, on its critical path).
func (r *Report) Merge(o *Report) {
	l, m := &r.lines, &o.lines
	l.Total += m.Total
	l.HTTP += m.HTTP
	l.HTTPS += m.HTTPS
	l.TCP += m.TCP
	l.CLF += m.CLF
	l.Event += m.Event
	l.Unknown += m.Unknown
	if !o.first.IsZero() {
		r.seen(o.first, true)
		r.seen(o.last, true)
	}
	for name, ob := range o.backends {
		if _, ok := r.backends[name]; !ok && len(r.backends) < MaxBackends {
			r.backends[name] = ob // o is not used after: taken whole, not copied
			continue
		}
		b := r.backend([]byte(name))
		for sname, os := range ob.servers {
			if _, ok := b.servers[sname]; !ok && len(b.servers) < MaxServers {
				os.backend = b
				b.servers[sname] = os
				continue
			}
			b.server([]byte(sname)).merge(os)
		}
		b.series.merge(&ob.series)
	}
	r.urls.merge(&o.urls)
}

func (s *server) merge(o *server) {
	s.requests += o.requests
	s.ok += o.ok
	for i := range s.classes {
		s.classes[i] += o.classes[i]
	}
	for i, n := range o.codes {
		s.codes[i] += n
	}
	for k, v := range o.statuses {
		addInt(s.statuses, k, *v)
	}
	for k, v := range o.terms {
		addTerm(s.terms, k, *v)
	}
	for i := range s.timers {
		s.timers[i].merge(&o.timers[i])
	}
}

func (u *urlTable) merge(o *urlTable) {
	u.untracked += o.untracked
	for p, os := range o.byPath {
		s, ok := u.byPath[p]
		if !ok {
			if len(u.byPath) >= MaxURLs {
				u.untracked += os.requests
				continue
			}
			u.byPath[p] = os
			continue
		}
		s.requests += os.requests
		s.errors += os.errors
		s.ta.merge(os.ta)
		s.tr.merge(os.tr)
	}
}

func (t *timerSum) merge(o timerSum) {
	t.sum += o.sum
	t.count += o.count
	t.max = max(t.max, o.max)
}

func addTerm(m map[termKey]*int64, k termKey, n int64) {
	if p, ok := m[k]; ok {
		*p += n
		return
	}
	m[k] = &n
}
