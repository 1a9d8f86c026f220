// Package zipkintest is an in-process Zipkin server for tests. It follows
// the Zipkin API v2 as zipkin-server answers it (bare JSON arrays, plain-text
// 400 and 404 messages, ms for endTs/lookback, µs for durations, the
// annotationQuery semantics of zipkin2.storage.QueryRequest) and, like the
// real server, returns spans raw: it never merges or fixes them.
package zipkintest

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultLookback is zipkin-server's QUERY_LOOKBACK default, one day.
const DefaultLookback = 24 * time.Hour

// Link is one dependency link as /api/v2/dependencies returns it.
type Link struct {
	Parent     string `json:"parent"`
	Child      string `json:"child"`
	CallCount  int64  `json:"callCount"`
	ErrorCount int64  `json:"errorCount,omitempty"`
}

// Server is a running fake Zipkin. All methods are safe for concurrent use.
type Server struct {
	// URL is the base URL, e.g. http://127.0.0.1:41234 (no trailing slash).
	URL string

	srv  *httptest.Server
	now  func() time.Time
	base string

	mu        sync.Mutex
	traces    map[string][]*span // by normalized trace ID, spans in arrival order
	order     []string
	links     []Link
	autoKeys  []string
	requests  []*url.URL
	intercept func(http.ResponseWriter, *http.Request) bool
}

type endpoint struct {
	ServiceName string `json:"serviceName"`
}

type annotation struct {
	Value string `json:"value"`
}

// span keeps the raw JSON for replies and the fields queries look at.
type span struct {
	raw      json.RawMessage
	traceID  string
	parentID string
	name     string
	local    string
	remote   string
	ts, dur  int64
	tags     map[string]string
	anns     []string
}

type wireSpan struct {
	TraceID        string            `json:"traceId"`
	ParentID       string            `json:"parentId"`
	Name           string            `json:"name"`
	Timestamp      int64             `json:"timestamp"`
	Duration       int64             `json:"duration"`
	LocalEndpoint  *endpoint         `json:"localEndpoint"`
	RemoteEndpoint *endpoint         `json:"remoteEndpoint"`
	Annotations    []annotation      `json:"annotations"`
	Tags           map[string]string `json:"tags"`
}

// Option configures a Server.
type Option func(*Server)

// WithClock sets the clock used for a search without endTs.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithBasePath serves the API under a path prefix, as behind a reverse
// proxy (e.g. "/zipkin"); requests outside it get 404.
func WithBasePath(prefix string) Option {
	return func(s *Server) { s.base = "/" + strings.Trim(prefix, "/") }
}

// New starts a server on 127.0.0.1. Close it when done.
func New(opts ...Option) *Server {
	s := &Server{now: time.Now, traces: make(map[string][]*span)}
	for _, o := range opts {
		o(s)
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	return s
}

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// AddJSON stores Zipkin v2 spans, given as `[span, ...]` or `[[span, ...], ...]`,
// the way POST /api/v2/spans would.
func (s *Server) AddJSON(b []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	var spans []json.RawMessage
	for _, r := range raw {
		r = bytes.TrimSpace(r)
		if len(r) > 0 && r[0] == '[' {
			var inner []json.RawMessage
			if err := json.Unmarshal(r, &inner); err != nil {
				return err
			}
			spans = append(spans, inner...)
			continue
		}
		spans = append(spans, r)
	}
	parsed := make([]*span, 0, len(spans))
	for _, r := range spans {
		var w wireSpan
		if err := json.Unmarshal(r, &w); err != nil {
			return err
		}
		id, err := normalizeTraceID(w.TraceID)
		if err != nil {
			return err
		}
		sp := &span{raw: r, traceID: id, parentID: w.ParentID, name: strings.ToLower(w.Name),
			ts: w.Timestamp, dur: w.Duration, tags: w.Tags}
		if w.LocalEndpoint != nil {
			sp.local = strings.ToLower(w.LocalEndpoint.ServiceName)
		}
		if w.RemoteEndpoint != nil {
			sp.remote = strings.ToLower(w.RemoteEndpoint.ServiceName)
		}
		for _, a := range w.Annotations {
			sp.anns = append(sp.anns, a.Value)
		}
		parsed = append(parsed, sp)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sp := range parsed {
		if _, ok := s.traces[sp.traceID]; !ok {
			s.order = append(s.order, sp.traceID)
		}
		s.traces[sp.traceID] = append(s.traces[sp.traceID], sp)
	}
	return nil
}

// AddFile stores the spans of a Zipkin JSON file.
func (s *Server) AddFile(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return s.AddJSON(b)
}

// SetDependencies sets what /api/v2/dependencies returns for a valid request.
func (s *Server) SetDependencies(links []Link) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.links = slices.Clone(links)
}

// SetAutocompleteKeys sets the server's configured autocomplete keys
// (zipkin-server's AUTOCOMPLETE_KEYS); values are the stored tags' values.
func (s *Server) SetAutocompleteKeys(keys ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.autoKeys = slices.Clone(keys)
}

// Intercept installs a handler that sees every request first; when it
// returns true the request is answered. Tests use it for failures.
func (s *Server) Intercept(fn func(w http.ResponseWriter, r *http.Request) bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.intercept = fn
}

// Requests returns the URLs (path and query) of the requests seen so far.
func (s *Server) Requests() []*url.URL {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*url.URL, len(s.requests))
	for i, u := range s.requests {
		c := *u
		out[i] = &c
	}
	return out
}

// LastQuery is the query of the last request to path.
func (s *Server) LastQuery(path string) url.Values {
	reqs := s.Requests()
	for i := len(reqs) - 1; i >= 0; i-- {
		if reqs[i].Path == path {
			return reqs[i].Query()
		}
	}
	return nil
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	u := *r.URL
	s.requests = append(s.requests, &u)
	intercept := s.intercept
	s.mu.Unlock()
	if intercept != nil && intercept(w, r) {
		return
	}
	p := r.URL.Path
	if s.base != "" {
		rest, ok := strings.CutPrefix(p, s.base)
		if !ok || !strings.HasPrefix(rest, "/") {
			text(w, http.StatusNotFound, "Not Found")
			return
		}
		p = rest
	}
	switch {
	case p == "/api/v2/spans" && r.Method == http.MethodPost:
		s.postSpans(w, r)
		return
	case r.Method != http.MethodGet && r.Method != http.MethodHead:
		text(w, http.StatusMethodNotAllowed, "Method Not Allowed")
		return
	}
	q := r.URL.Query()
	switch {
	case p == "/api/v2/services":
		s.names(w, s.services())
	case p == "/api/v2/spans":
		if svc, ok := required(w, q, "serviceName"); ok {
			s.names(w, s.spanNames(strings.ToLower(svc), false))
		}
	case p == "/api/v2/remoteServices":
		if svc, ok := required(w, q, "serviceName"); ok {
			s.names(w, s.spanNames(strings.ToLower(svc), true))
		}
	case p == "/api/v2/traces":
		s.search(w, q)
	case strings.HasPrefix(p, "/api/v2/trace/"):
		s.trace(w, strings.TrimPrefix(p, "/api/v2/trace/"))
	case p == "/api/v2/traceMany":
		s.traceMany(w, q)
	case p == "/api/v2/dependencies":
		s.dependencies(w, q)
	case p == "/api/v2/autocompleteKeys":
		s.mu.Lock()
		keys := slices.Clone(s.autoKeys)
		s.mu.Unlock()
		s.names(w, keys)
	case p == "/api/v2/autocompleteValues":
		if key, ok := required(w, q, "key"); ok {
			s.names(w, s.autocompleteValues(key))
		}
	default:
		text(w, http.StatusNotFound, "Not Found")
	}
}

func (s *Server) postSpans(w http.ResponseWriter, r *http.Request) {
	b, err := io.ReadAll(r.Body)
	if err == nil {
		err = s.AddJSON(b)
	}
	if err != nil {
		text(w, http.StatusBadRequest, "Expected a JSON_V2 encoded list: "+err.Error())
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

// required answers 400 as Armeria does for a missing mandatory parameter.
func required(w http.ResponseWriter, q url.Values, name string) (string, bool) {
	if !q.Has(name) {
		text(w, http.StatusBadRequest, "Mandatory parameter/header is missing: "+name)
		return "", false
	}
	return q.Get(name), true
}

func text(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, msg)
}

func writeJSON(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
}

// names writes a sorted name list; zipkin-server adds Cache-Control once it
// knows more than three services.
func (s *Server) names(w http.ResponseWriter, names []string) {
	if names == nil {
		names = []string{}
	}
	if len(s.services()) > 3 {
		w.Header().Set("Cache-Control", "max-age=300, must-revalidate")
	}
	b, _ := json.Marshal(names)
	writeJSON(w, b)
}

func (s *Server) services() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	set := map[string]bool{}
	for _, spans := range s.traces {
		for _, sp := range spans {
			if sp.local != "" {
				set[sp.local] = true
			}
		}
	}
	return sortedKeys(set)
}

func (s *Server) spanNames(service string, remote bool) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	set := map[string]bool{}
	for _, spans := range s.traces {
		for _, sp := range spans {
			if sp.local != service || service == "" {
				continue
			}
			v := sp.name
			if remote {
				v = sp.remote
			}
			if v != "" {
				set[v] = true
			}
		}
	}
	return sortedKeys(set)
}

func (s *Server) autocompleteValues(key string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !slices.Contains(s.autoKeys, key) {
		return nil
	}
	set := map[string]bool{}
	for _, spans := range s.traces {
		for _, sp := range spans {
			if v, ok := sp.tags[key]; ok && v != "" {
				set[v] = true
			}
		}
	}
	return sortedKeys(set)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// query is zipkin2.storage.QueryRequest.
type query struct {
	serviceName, remoteServiceName, spanName string
	annotationQuery                          [][2]string // ordered; value "" = bare term
	minDuration, maxDuration                 *int64
	endTs, lookback                          int64
	limit                                    int
}

func optInt(q url.Values, name string) (*int64, error) {
	if !q.Has(name) || q.Get(name) == "" {
		return nil, nil
	}
	v, err := strconv.ParseInt(q.Get(name), 10, 64)
	if err != nil {
		//lint:ignore ST1005 the message is the Zipkin server's own (Java's NumberFormatException)
		return nil, fmt.Errorf("For input string: %q", q.Get(name))
	}
	return &v, nil
}

func (s *Server) parseQuery(q url.Values) (query, error) {
	r := query{
		serviceName:       strings.ToLower(q.Get("serviceName")),
		remoteServiceName: strings.ToLower(q.Get("remoteServiceName")),
		spanName:          strings.ToLower(q.Get("spanName")),
		endTs:             s.now().UnixMilli(),
		lookback:          DefaultLookback.Milliseconds(),
		limit:             10,
	}
	if r.spanName == "all" {
		r.spanName = ""
	}
	if aq := q.Get("annotationQuery"); aq != "" {
		seen := map[string]int{}
		for _, term := range strings.SplitN(aq, " and ", 100) {
			k, v, _ := strings.Cut(term, "=")
			if k == "" {
				continue
			}
			if i, ok := seen[k]; ok {
				r.annotationQuery[i][1] = v
				continue
			}
			seen[k] = len(r.annotationQuery)
			r.annotationQuery = append(r.annotationQuery, [2]string{k, v})
		}
	}
	var err error
	if r.minDuration, err = optInt(q, "minDuration"); err != nil {
		return r, err
	}
	if r.maxDuration, err = optInt(q, "maxDuration"); err != nil {
		return r, err
	}
	for _, f := range []struct {
		name string
		dst  *int64
	}{{"endTs", &r.endTs}, {"lookback", &r.lookback}} {
		v, err := optInt(q, f.name)
		if err != nil {
			return r, err
		}
		if v != nil {
			*f.dst = *v
		}
	}
	if q.Has("limit") {
		n, err := strconv.Atoi(q.Get("limit"))
		if err != nil {
			//lint:ignore ST1005 the message is the Zipkin server's own (Java's NumberFormatException)
			return r, fmt.Errorf("For input string: %q", q.Get("limit"))
		}
		r.limit = n
	}
	switch {
	case r.endTs <= 0:
		return r, errors.New("endTs <= 0")
	case r.limit <= 0:
		return r, errors.New("limit <= 0")
	case r.lookback <= 0:
		return r, errors.New("lookback <= 0")
	}
	if r.minDuration != nil {
		if *r.minDuration <= 0 {
			return r, errors.New("minDuration <= 0")
		}
		if r.maxDuration != nil && *r.maxDuration < *r.minDuration {
			return r, errors.New("maxDuration < minDuration")
		}
	} else if r.maxDuration != nil {
		return r, errors.New("maxDuration is only valid with minDuration")
	}
	return r, nil
}

// traceTimestamp is the root's timestamp, else the earliest one (µs).
func traceTimestamp(spans []*span) int64 {
	var ts int64
	for _, sp := range spans {
		if sp.ts == 0 {
			continue
		}
		if sp.parentID == "" {
			return sp.ts
		}
		if ts == 0 || sp.ts < ts {
			ts = sp.ts
		}
	}
	return ts
}

// test is QueryRequest.test: conditions are met by any spans of the
// service, not necessarily one span.
func (r query) test(spans []*span) bool {
	ts := traceTimestamp(spans)
	if ts == 0 || ts < (r.endTs-r.lookback)*1000 || ts > r.endTs*1000 {
		return false
	}
	services := map[string]bool{}
	testedDuration := r.minDuration == nil && r.maxDuration == nil
	remoteToMatch, nameToMatch := r.remoteServiceName, r.spanName
	remaining := map[string]string{}
	for _, kv := range r.annotationQuery {
		remaining[kv[0]] = kv[1]
	}
	for _, sp := range spans {
		if sp.local != "" {
			services[sp.local] = true
		}
		ofService := r.serviceName == "" || r.serviceName == sp.local
		if !ofService {
			continue
		}
		for _, a := range sp.anns {
			if v, ok := remaining[a]; ok && v == "" {
				delete(remaining, a)
			}
		}
		for k, tv := range sp.tags {
			if v, ok := remaining[k]; ok && (v == "" || v == tv) {
				delete(remaining, k)
			}
		}
		if remoteToMatch != "" && remoteToMatch == sp.remote {
			remoteToMatch = ""
		}
		if nameToMatch != "" && nameToMatch == sp.name {
			nameToMatch = ""
		}
		if !testedDuration {
			switch {
			case r.minDuration != nil && r.maxDuration != nil:
				testedDuration = sp.dur >= *r.minDuration && sp.dur <= *r.maxDuration
			case r.minDuration != nil:
				testedDuration = sp.dur >= *r.minDuration
			}
		}
	}
	return (r.serviceName == "" || services[r.serviceName]) && remoteToMatch == "" && nameToMatch == "" &&
		len(remaining) == 0 && testedDuration
}

func (s *Server) search(w http.ResponseWriter, q url.Values) {
	r, err := s.parseQuery(q)
	if err != nil {
		text(w, http.StatusBadRequest, err.Error())
		return
	}
	s.mu.Lock()
	type hit struct {
		ts    int64
		spans []*span
	}
	var hits []hit
	for _, id := range s.order {
		spans := s.traces[id]
		if r.test(spans) {
			hits = append(hits, hit{traceTimestamp(spans), slices.Clone(spans)})
		}
	}
	s.mu.Unlock()
	// Nearest to endTs first, as QueryRequest asks of a store.
	slices.SortStableFunc(hits, func(a, b hit) int { return cmp.Compare(b.ts, a.ts) })
	if len(hits) > r.limit {
		hits = hits[:r.limit]
	}
	groups := make([][]*span, len(hits))
	for i, h := range hits {
		groups[i] = h.spans
	}
	writeJSON(w, encodeTraces(groups))
}

func encodeTraces(traces [][]*span) []byte {
	var b bytes.Buffer
	b.WriteByte('[')
	for i, spans := range traces {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(encodeSpans(spans))
	}
	b.WriteByte(']')
	return b.Bytes()
}

func encodeSpans(spans []*span) []byte {
	var b bytes.Buffer
	b.WriteByte('[')
	for i, sp := range spans {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(sp.raw)
	}
	b.WriteByte(']')
	return b.Bytes()
}

// normalizeTraceID is zipkin2.Span.normalizeTraceId: lower-hex only, padded
// to 16 or to 32 digits (a 32-digit ID with a zero high half stays 32).
func normalizeTraceID(id string) (string, error) {
	switch {
	case id == "":
		return "", errors.New("traceId is empty")
	case len(id) > 32:
		return "", errors.New("traceId.length > 32")
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return "", errors.New(id + " should be lower-hex encoded with no prefix")
		}
	}
	width := 16
	if len(id) > 16 {
		width = 32
	}
	return strings.Repeat("0", width-len(id)) + id, nil
}

func (s *Server) trace(w http.ResponseWriter, raw string) {
	id, err := normalizeTraceID(raw)
	if err != nil {
		text(w, http.StatusBadRequest, err.Error())
		return
	}
	s.mu.Lock()
	spans := slices.Clone(s.traces[id])
	s.mu.Unlock()
	if len(spans) == 0 {
		text(w, http.StatusNotFound, raw+" not found")
		return
	}
	writeJSON(w, encodeSpans(spans))
}

func (s *Server) traceMany(w http.ResponseWriter, q url.Values) {
	param, ok := required(w, q, "traceIds")
	if !ok {
		return
	}
	if param == "" {
		text(w, http.StatusBadRequest, "traceIds parameter is empty")
		return
	}
	var ids []string
	seen := map[string]bool{}
	for _, raw := range strings.SplitN(param, ",", 1000) {
		id, err := normalizeTraceID(raw)
		if err != nil {
			text(w, http.StatusBadRequest, err.Error())
			return
		}
		if seen[id] {
			text(w, http.StatusBadRequest, "redundant traceId: "+raw)
			return
		}
		seen[id] = true
		ids = append(ids, id)
	}
	if len(ids) == 1 {
		text(w, http.StatusBadRequest, "Use /api/v2/trace/{traceId} endpoint to retrieve a single trace")
		return
	}
	var found [][]*span
	s.mu.Lock()
	for _, id := range ids {
		if spans := s.traces[id]; len(spans) > 0 {
			found = append(found, slices.Clone(spans))
		}
	}
	s.mu.Unlock()
	writeJSON(w, encodeTraces(found))
}

func (s *Server) dependencies(w http.ResponseWriter, q url.Values) {
	if _, ok := required(w, q, "endTs"); !ok {
		return
	}
	endTs, err := optInt(q, "endTs")
	if err == nil && (endTs == nil || *endTs <= 0) {
		err = errors.New("endTs <= 0")
	}
	if err == nil {
		var lb *int64
		if lb, err = optInt(q, "lookback"); err == nil && lb != nil && *lb <= 0 {
			err = errors.New("lookback <= 0")
		}
	}
	if err != nil {
		text(w, http.StatusBadRequest, err.Error())
		return
	}
	s.mu.Lock()
	links := slices.Clone(s.links)
	s.mu.Unlock()
	if links == nil {
		links = []Link{}
	}
	b, _ := json.Marshal(links)
	writeJSON(w, b)
}
