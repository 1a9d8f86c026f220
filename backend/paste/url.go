package paste

import (
	"net/url"
	"strings"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/textsafe"
)

// url recognises the URL of a trace UI or API: Jaeger UI (/trace/<id>,
// ?uiFind=<span>, /trace/<a>...<b>), Zipkin Lens (/zipkin/traces/<id>),
// Jaeger, Tempo and Zipkin APIs (/api/…/traces/<id>), Grafana Explore
// (panes or left holding a query that is a trace ID), or any URL with a
// traceID parameter. ok is false when tok is not a URL; err is set for a
// URL that names no trace.
func (p *parser) url(tok string) (Result, error, bool) {
	raw, ok := asURL(tok)
	if !ok {
		return Result{}, nil, false
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return Result{}, reject("the pasted URL is not valid"), true
	}
	segs := pathSegments(u.Path)
	if f := strings.TrimPrefix(u.Fragment, "!"); strings.HasPrefix(f, "/") {
		// A UI with hash routing: #/trace/<id>.
		f, _, _ = strings.Cut(f, "?")
		segs = append(segs, pathSegments(f)...)
	}
	query := queryPairs(u.RawQuery)
	for i := range query {
		if nk, ok := normKey(query[i].key); ok {
			query[i].role = p.roleOf(nk)
		}
	}
	for i, s := range segs {
		ls := strings.ToLower(s)
		if (ls != "trace" && ls != "traces") || i+1 >= len(segs) {
			continue
		}
		api := false
		for _, prev := range segs[:i] {
			api = api || strings.EqualFold(prev, "api")
		}
		id := segs[i+1]
		switch {
		case api:
			return urlTrace(SourceAPIURL, id)
		case ls == "traces":
			return urlTrace(SourceZipkinURL, id)
		}
		if a, b, ok := strings.Cut(id, "..."); ok {
			r, err, _ := urlTrace(SourceJaegerCompare, a)
			if err != nil {
				return r, err, true
			}
			other, why := hexTrace(b, "the compared trace ID")
			if why != "" {
				return Result{}, reject(why), true
			}
			r.Other = other
			return r, nil, true
		}
		r, err, _ := urlTrace(SourceJaegerURL, id)
		if err != nil {
			return r, err, true
		}
		for _, q := range query {
			if q.key != "uiFind" || q.value == "" {
				continue
			}
			if sp, why := hexSpan(q.value, "uiFind"); why == "" {
				r.Span = sp
			} else {
				r.Notes = append(r.Notes, "uiFind "+quote(textsafe.Truncate(q.value, 32))+" is not a span ID")
			}
			break
		}
		return r, nil, true
	}
	if r, ok := p.grafanaTrace(query); ok {
		return r, nil, true
	}
	if isGrafana(u, query) {
		return Result{}, reject("the Grafana Explore URL holds no trace ID (its query is not one)"), true
	}
	if r, err, ok := p.interpret(query); ok {
		return r, err, true
	}
	return Result{}, reject("the URL names no trace (expected a Jaeger UI /trace/ID, Zipkin /traces/ID, Tempo /api/traces/ID or Grafana Explore URL)"), true
}

// asURL returns tok as an absolute URL: with its scheme, or without one
// when its path shows a trace ("localhost:16686/trace/…").
func asURL(tok string) (string, bool) {
	l := strings.ToLower(tok)
	if strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") {
		return tok, true
	}
	if strings.Contains(l, "://") {
		return "", false
	}
	if !strings.Contains(l, "/trace/") && !strings.Contains(l, "/traces/") && !strings.Contains(l, "/explore?") {
		return "", false
	}
	if strings.HasPrefix(tok, "/") {
		return "http://localhost" + tok, true
	}
	return "http://" + tok, true
}

func pathSegments(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// queryPairs decodes a query string in order (url.Values is a map).
func queryPairs(raw string) []pair {
	var out []pair
	for _, kv := range strings.Split(raw, "&") {
		k, v, _ := strings.Cut(kv, "=")
		k, err1 := url.QueryUnescape(k)
		v, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil || k == "" {
			continue
		}
		out = append(out, pair{key: k, value: v, form: formQuery})
	}
	return out
}

func urlTrace(source, id string) (Result, error, bool) {
	trace, why := hexTrace(id, "the URL's trace ID")
	if why != "" {
		return Result{}, reject("the URL's " + quote(textsafe.Truncate(id, 40)) + " is not a trace ID (" + why + ")"), true
	}
	return Result{Source: source, Trace: trace}, nil, true
}

func isGrafana(u *url.URL, query []pair) bool {
	if strings.Contains(strings.ToLower(u.Path), "/explore") {
		return true
	}
	for _, q := range query {
		if q.key == "panes" || q.key == "left" {
			return true
		}
	}
	return false
}

// grafana looks in Explore's panes/left/right JSON for a query (Tempo's or
// Jaeger's data source) that is a 16- or 32-digit hex trace ID, or a field
// named like a trace ID.
func (p *parser) grafanaTrace(query []pair) (Result, bool) {
	var found []backend.TraceID
	for _, q := range query {
		if q.key != "panes" && q.key != "left" && q.key != "right" {
			continue
		}
		g := parser{opts: p.opts, grafana: true}
		for _, pr := range g.jsonPairs(q.value) {
			if pr.role != roleTrace && pr.role != roleQuery {
				continue
			}
			v := strings.TrimSpace(pr.value)
			if (len(v) != 16 && len(v) != 32) || !isHex(v) {
				continue
			}
			id, why := hexTrace(v, "query")
			if why == "" && !containsID(found, id) {
				found = append(found, id)
			}
		}
	}
	if len(found) == 0 {
		return Result{}, false
	}
	r := Result{Source: SourceGrafanaURL, Trace: found[0]}
	if len(found) > 1 {
		r.Other = found[1]
	}
	return r, true
}

func containsID(ids []backend.TraceID, id backend.TraceID) bool {
	for _, have := range ids {
		if have == id {
			return true
		}
	}
	return false
}
