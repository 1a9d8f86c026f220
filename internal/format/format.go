// Package format turns times and durations into the short, fixed-precision
// text that tables and waterfalls need, so that every screen and every
// printed report writes them the same way.
//
// Pure functions of their arguments; no state.
package format

import (
	"strconv"
	"time"
)

// Duration formats nanoseconds with three significant digits and a unit
// chosen by magnitude: "0", "850ns", "12.3µs", "456ms", "1.23s", "2m05s",
// "3h04m". Negative durations (broken clocks) keep their sign.
func Duration(ns int64) string {
	if ns < 0 {
		if ns == -ns { // math.MinInt64 has no positive counterpart
			return "-∞"
		}
		return "-" + Duration(-ns)
	}
	switch {
	case ns == 0:
		return "0"
	case ns < 1_000:
		return strconv.FormatInt(ns, 10) + "ns"
	case ns < 999_500: // rounds to 1000µs and above belong to ms
		return sig3(float64(ns)/1e3) + "µs"
	case ns < 999_500_000:
		return sig3(float64(ns)/1e6) + "ms"
	case ns < 60*1_000_000_000:
		return sig3(float64(ns)/1e9) + "s"
	case ns < 3600*1_000_000_000:
		m := ns / (60 * 1_000_000_000)
		s := (ns / 1_000_000_000) % 60
		return strconv.FormatInt(m, 10) + "m" + pad2(s) + "s"
	case ns < 100*3600*1_000_000_000:
		h := ns / (3600 * 1_000_000_000)
		m := (ns / (60 * 1_000_000_000)) % 60
		return strconv.FormatInt(h, 10) + "h" + pad2(m) + "m"
	default:
		return strconv.FormatInt(ns/(24*3600*1_000_000_000), 10) + "d"
	}
}

// sig3 prints v (1 ≤ v < 1000) with three significant digits, without
// trailing zeros.
func sig3(v float64) string {
	prec := 2
	switch {
	case v >= 100:
		prec = 0
	case v >= 10:
		prec = 1
	}
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if prec > 0 {
		for s[len(s)-1] == '0' {
			s = s[:len(s)-1]
		}
		if s[len(s)-1] == '.' {
			s = s[:len(s)-1]
		}
	}
	return s
}

func pad2(v int64) string {
	if v < 10 {
		return "0" + strconv.FormatInt(v, 10)
	}
	return strconv.FormatInt(v, 10)
}

// Ago says how long before now t was, coarsely: "just now", "42s ago",
// "5m ago", "3h ago", "2d ago", "3w ago", "8mo ago", "10y ago"; a time in
// the future says "in 5m". The unit grows with the age so that the text
// never needs more than eight cells (a column in the trace list).
func Ago(t, now time.Time) string {
	d := now.Sub(t)
	if d < 0 {
		return "in " + coarse(-d)
	}
	if d < time.Second {
		return "just now"
	}
	return coarse(d) + " ago"
}

func coarse(d time.Duration) string {
	const day = 24 * time.Hour
	if d < 0 { // negated math.MinInt64 (now.Sub saturates): as far as a duration goes
		d = 1<<63 - 1
	}
	switch {
	case d < time.Minute:
		return strconv.Itoa(int(d/time.Second)) + "s"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + "h"
	case d < 14*day:
		return strconv.Itoa(int(d/day)) + "d"
	case d < 60*day:
		return strconv.Itoa(int(d/(7*day))) + "w"
	case d < 365*day:
		return strconv.Itoa(int(d/(30*day))) + "mo"
	default:
		return strconv.Itoa(int(d/(365*day))) + "y"
	}
}

// Timestamp formats nanoseconds since the epoch as an absolute time with
// milliseconds in the given location.
func Timestamp(ns int64, loc *time.Location) string {
	return time.Unix(0, ns).In(loc).Format("2006-01-02 15:04:05.000 MST")
}

// Count writes a count with thousands grouped: 1234567 → "1,234,567".
// Views call it per frame, so it allocates the result only.
func Count(n int) string {
	if n > -1000 && n < 1000 {
		return strconv.Itoa(n)
	}
	var buf [32]byte
	digits := strconv.AppendInt(buf[:0], int64(n), 10)
	sign := 0
	if n < 0 {
		sign = 1
	}
	body := len(digits) - sign
	out := make([]byte, 0, len(digits)+(body-1)/3)
	out = append(out, digits[:sign]...)
	for i, c := range digits[sign:] {
		if i > 0 && (body-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, c)
	}
	return string(out)
}

// CountFit writes a count in at most width cells: whole when it fits
// (grouped as Count, else plain digits), else in a compact unit ("200k",
// "1.0M", "12G"); never cut: a cut
// count reads as another number ("1,000," for a million). Compact forms
// round down, so that they never claim more than there is; a count that
// fits in no form is given whole anyway, for the caller's layout to cut
// with a visible ellipsis.
func CountFit(n, width int) string {
	if s := Count(n); len(s) <= width {
		return s
	}
	if s := strconv.Itoa(n); len(s) <= width {
		return s
	}
	if s := Compact(n); len(s) <= width {
		return s
	}
	return Count(n)
}

// Compact writes a count in at most four characters and a sign: "999",
// "1.2k", "200k", "1.0M", "12G". It rounds down.
func Compact(n int) string {
	if n < 0 {
		if n == -n { // math.MinInt has no positive counterpart
			return "-9.2E"
		}
		return "-" + Compact(-n)
	}
	units := [...]struct {
		size int
		unit string
	}{{1e18, "E"}, {1e15, "P"}, {1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}}
	for _, u := range units {
		if n < u.size {
			continue
		}
		whole := n / u.size
		if whole >= 10 {
			return strconv.Itoa(whole) + u.unit
		}
		tenth := n % u.size / (u.size / 10)
		return strconv.Itoa(whole) + "." + strconv.Itoa(tenth) + u.unit
	}
	return strconv.Itoa(n)
}
