package analysis

import (
	"strings"
	"testing"
	"time"
)

func TestParseSpanQuery(t *testing.T) {
	q, err := ParseSpanQuery(`is:error svc:Orders op:GET >10ms dur<1s "quoted words" -secret timeout`)
	if err != nil {
		t.Fatal(err)
	}
	if !q.Errors || q.Critical || len(q.Services) != 1 || q.Services[0] != "orders" || q.Ops[0] != "get" ||
		q.MinDuration != int64(10*time.Millisecond) || q.MaxDuration != int64(time.Second) ||
		q.Text != `"quoted words" -secret timeout` {
		t.Errorf("parsed %+v", q)
	}
	if q, _ := ParseSpanQuery("is:cp"); !q.Critical || !q.Active() {
		t.Errorf("is:cp: %+v", q)
	}
	if q, _ := ParseSpanQuery("   "); q.Active() {
		t.Errorf("blank query is active: %+v", q)
	}
}

// TestParseSpanQueryErrors: a duration term that does not parse is an
// error naming it (issue 14: ">" then enter crashed the trace view).
func TestParseSpanQueryErrors(t *testing.T) {
	for _, bad := range []string{">", ">10", "<", "dur>", "<soon", "is:error >-5ms"} {
		_, err := ParseSpanQuery(bad)
		if err == nil {
			t.Errorf("%q parsed", bad)
			continue
		}
		if term := strings.Fields(bad)[len(strings.Fields(bad))-1]; !strings.Contains(err.Error(), term) {
			t.Errorf("%q: error %q does not name the term", bad, err)
		}
	}
}
