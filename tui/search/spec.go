package search

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/go-logfmt/logfmt"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/format"
)

// Spec is what the search form asks for. A relative lookback is turned into
// a time window only when the search runs, so that a refresh slides it.
type Spec struct {
	Service   string
	Operation string
	Tags      []backend.Tag
	// Lookback, when positive, makes the window [now-Lookback, now];
	// otherwise Start and End are fixed.
	Lookback    time.Duration
	Start, End  time.Time
	MinDuration time.Duration
	MaxDuration time.Duration
	Limit       int
}

// Query builds the backend query at time now.
func (s Spec) Query(now time.Time) backend.Query {
	q := backend.Query{
		Service: s.Service, Operation: s.Operation, Tags: s.Tags,
		Start: s.Start, End: s.End,
		MinDuration: s.MinDuration, MaxDuration: s.MaxDuration, Limit: s.Limit,
	}
	switch {
	case s.Lookback == AllTime:
		q.Start, q.End = time.Time{}, time.Time{}
	case s.Lookback > 0:
		q.Start, q.End = now.Add(-s.Lookback), now
	}
	return q
}

// AllTime is the lookback of a search with no time window, offered for trace
// files, whose traces are usually older than any lookback.
const AllTime = time.Duration(math.MaxInt64)

// Describe is a one-line summary for the list's title. It holds user input
// and backend names: callers clean it before drawing.
func (s Spec) Describe() string {
	var parts []string
	if s.Service != "" {
		parts = append(parts, "service="+s.Service)
	} else {
		parts = append(parts, "all services")
	}
	if s.Operation != "" {
		parts = append(parts, "op="+s.Operation)
	}
	for _, t := range s.Tags {
		parts = append(parts, t.Key+"="+t.Value)
	}
	if s.Lookback == AllTime {
		parts = append(parts, "all time")
	} else if s.Lookback > 0 {
		parts = append(parts, "last "+LookbackLabel(s.Lookback))
	} else if !s.Start.IsZero() {
		parts = append(parts, s.Start.Format("01-02 15:04")+"–"+s.End.Format("01-02 15:04"))
	}
	if s.MinDuration > 0 {
		parts = append(parts, "≥"+format.Duration(int64(s.MinDuration)))
	}
	if s.MaxDuration > 0 {
		parts = append(parts, "≤"+format.Duration(int64(s.MaxDuration)))
	}
	return strings.Join(parts, " · ")
}

// Lookbacks are the preset search windows, shortest first.
func Lookbacks() []time.Duration {
	return []time.Duration{
		5 * time.Minute, 15 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour, 6 * time.Hour,
		12 * time.Hour, 24 * time.Hour, 48 * time.Hour, 7 * 24 * time.Hour,
	}
}

// LookbackLabel writes a lookback the way the presets are named: 5m, 1h, 2d.
func LookbackLabel(d time.Duration) string {
	switch {
	case d == AllTime:
		return "all time"
	case d >= 48*time.Hour && d%(24*time.Hour) == 0:
		return strconv.FormatInt(int64(d/(24*time.Hour)), 10) + "d"
	case d >= time.Hour && d%time.Hour == 0:
		return strconv.FormatInt(int64(d/time.Hour), 10) + "h"
	case d%time.Minute == 0:
		return strconv.FormatInt(int64(d/time.Minute), 10) + "m"
	}
	return d.String()
}

// ParseTags reads tags in logfmt: `error=true http.status_code=500
// "http.url"="/a b"`. Every tag needs a non-empty value.
func ParseTags(s string) ([]backend.Tag, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	if strings.ContainsAny(s, "\n\r") {
		return nil, errors.New("tags go on one line")
	}
	dec := logfmt.NewDecoder(strings.NewReader(s))
	var tags []backend.Tag
	for dec.ScanRecord() {
		for dec.ScanKeyval() {
			// logfmt gives nil for both `k` and `k=""`; a search for an empty
			// value is not something Jaeger or Zipkin can express anyway.
			if len(dec.Value()) == 0 {
				return nil, fmt.Errorf("tag %q has no value: write %s=value", dec.Key(), dec.Key())
			}
			tags = append(tags, backend.Tag{Key: string(dec.Key()), Value: string(bytes.Clone(dec.Value()))})
		}
	}
	if err := dec.Err(); err != nil {
		var se *logfmt.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("%s at column %d (tags are key=value, space separated; quote values with spaces)", se.Msg, se.Pos)
		}
		return nil, err
	}
	return tags, nil
}

// ParseDuration reads a Go duration ("250ms", "1.5s", "2m"); empty is 0.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("not a duration: %q (write 250ms, 1.5s, 2m)", s)
	}
	if d < 0 {
		return 0, errors.New("a duration cannot be negative")
	}
	return d, nil
}

var daysRE = regexp.MustCompile(`^(\d+)d(.*)$`)

// parseLookback reads a duration that may start with days: "90m", "3d",
// "1d12h".
func parseLookback(s string) (time.Duration, bool) {
	var days time.Duration
	if m := daysRE.FindStringSubmatch(s); m != nil {
		n, err := strconv.Atoi(m[1])
		if err != nil || n > 3650 {
			return 0, false
		}
		days = time.Duration(n) * 24 * time.Hour
		s = m[2]
		if s == "" {
			return days, days > 0
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, false
	}
	d += days
	return d, d > 0
}

// timeLayouts are the forms a custom range accepts, most specific first.
func timeLayouts() []string {
	return []string{
		time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02 15:04",
		"2006-01-02",
	}
}

func parseTime(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "now") {
		return now, nil
	}
	for _, l := range timeLayouts() {
		if t, err := time.ParseInLocation(l, s, now.Location()); err == nil {
			return t, nil
		}
	}
	for _, l := range []string{"15:04:05", "15:04"} {
		if t, err := time.ParseInLocation(l, s, now.Location()); err == nil {
			y, mo, d := now.Date()
			return time.Date(y, mo, d, t.Hour(), t.Minute(), t.Second(), 0, now.Location()), nil
		}
	}
	return time.Time{}, fmt.Errorf("not a time: %q", s)
}

// ParseRange reads a custom window: a lookback ("90m", "3d"), a start
// ("2026-11-24 10:00", until now) or a range ("10:00 .. 10:30",
// "2026-11-24 to 2026-11-25"). Times without a date are today; times are
// in now's location. It returns the lookback, or a fixed window.
func ParseRange(s string, now time.Time) (lookback time.Duration, start, end time.Time, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, time.Time{}, time.Time{}, errors.New("type a lookback (90m, 3d) or a range (10:00 .. 10:30)")
	}
	if d, ok := parseLookback(s); ok {
		return d, time.Time{}, time.Time{}, nil
	}
	from, to, isRange := strings.Cut(s, "..")
	if !isRange {
		from, to, isRange = strings.Cut(s, " to ")
	}
	start, err = parseTime(from, now)
	if err != nil {
		return 0, time.Time{}, time.Time{}, err
	}
	end = now
	if isRange {
		if end, err = parseTime(to, now); err != nil {
			return 0, time.Time{}, time.Time{}, err
		}
	}
	if !end.After(start) {
		return 0, time.Time{}, time.Time{}, errors.New("the range ends before it starts")
	}
	return 0, start, end, nil
}

// ParseLimit reads the number of traces wanted; empty means the default.
func ParseLimit(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > MaxLimit {
		return 0, fmt.Errorf("the limit is a number from 1 to %d", MaxLimit)
	}
	return n, nil
}

// MaxLimit bounds the traces one search asks for.
const MaxLimit = 1000
