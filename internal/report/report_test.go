package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/backend/zipkin"
	"github.com/tracetui/tracetui/internal/testkit/hostile"
)

func analyseFixture(t *testing.T, name string) *analysis.Analysis {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "testdata", "fixtures", "zipkin", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	traces, err := zipkin.Decode(f)
	if err != nil || len(traces) != 1 {
		t.Fatalf("decode %s: %v (%d traces)", name, err, len(traces))
	}
	return analysis.Analyze(traces[0])
}

// TestShowTextGolden pins the text layout at 80 and 120 columns, plain and
// coloured (go test ./internal/report -update rewrites the files).
func TestShowTextGolden(t *testing.T) {
	for _, c := range []struct {
		name    string
		fixture string
		width   int
		color   bool
	}{
		{"skew-80", "skew.json", 80, false},
		{"kafka-120", "messaging-kafka.json", 120, false},
		{"kafka-120-color", "messaging-kafka.json", 120, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := ShowText(&buf, analyseFixture(t, c.fixture), TextOptions{Width: c.width, Color: c.color, Skew: "raw"}); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			hostile.AssertWidth(t, out, c.width)
			if c.color {
				hostile.AssertSafeStyled(t, out)
			} else {
				hostile.AssertSafe(t, out)
			}
			golden.RequireEqual(t, buf.Bytes())
		})
	}
}

// TestShowJSONKafka checks the JSON object against values read off
// messaging-kafka.json by hand: 3 error spans, and the origin among them.
func TestShowJSONKafka(t *testing.T) {
	var buf bytes.Buffer
	if err := ShowJSON(&buf, analyseFixture(t, "messaging-kafka.json")); err != nil {
		t.Fatal(err)
	}
	var st ShowTrace
	if err := json.Unmarshal(buf.Bytes(), &st); err != nil {
		t.Fatal(err)
	}
	if len(st.ErrorSpanIDs) != 3 || st.ErrorOrigin == nil {
		t.Fatalf("errors %v origin %v", st.ErrorSpanIDs, st.ErrorOrigin)
	}
	if st.SpanCount == 0 || st.ServiceCount != len(st.Services) || len(st.CriticalPath) == 0 {
		t.Fatalf("%+v", st)
	}
	for _, key := range []string{`"traceID"`, `"spanCount"`, `"serviceCount"`, `"durationMicros"`, `"rootSpanIDs"`, `"services"`, `"operations"`, `"criticalPath"`, `"errorSpanIDs"`, `"errorOrigin"`, `"warnings"`} {
		if !bytes.Contains(buf.Bytes(), []byte(key)) {
			t.Errorf("JSON lacks %s", key)
		}
	}
}

func TestWrapItems(t *testing.T) {
	got := wrapItems([]string{"aaaa", "bbbb", "cccccccccccc", "d"}, "  ", 10)
	want := []string{"aaaa  bbbb", "cccccccccccc", "d"}
	if len(got) != len(want) {
		t.Fatalf("%q", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("%q", got)
		}
	}
}
