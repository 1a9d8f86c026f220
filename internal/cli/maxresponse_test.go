package cli

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A profile's max_response_bytes caps bodies unless --max-response-mb is
// given on the command line (flags beat the config file).
func TestProfileMaxResponseBytes(t *testing.T) {
	services := `{"data":["` + strings.Repeat("s", 25_000) + `"],"total":1}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/services", "/api/v3/services":
			w.Write([]byte(services))
		default:
			w.Write([]byte(`{"data":[],"total":0}`))
		}
	}))
	defer srv.Close()
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	body := "default: small\nprofiles:\n  small:\n    jaeger: " + srv.URL + "\n    max_response_bytes: 100\n"
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	capped := run(t, nil, "", "--config", cfg, "search", "--correlation-id", "abc")
	if capped.code != 1 || !strings.Contains(capped.stderr, "100") {
		t.Errorf("profile cap of 100 bytes: exit %d, stderr %q", capped.code, capped.stderr)
	}
	flag := run(t, nil, "", "--config", cfg, "--max-response-mb", "1", "search", "--correlation-id", "abc")
	if flag.code != 0 {
		t.Errorf("--max-response-mb 1 should beat the profile: exit %d, stderr %q", flag.code, flag.stderr)
	}
}

// A --max-response-mb whose bytes overflow int64 is a usage error: 2^44 MiB
// wrapped to 0 bytes, which read as unset, so the profile's cap or the
// default applied with no word.
func TestMaxResponseMBOverflow(t *testing.T) {
	for _, mb := range []string{"17592186044416", "8796093022208", "9223372036854775807"} {
		r := run(t, nil, "", append(isolate(t), "--max-response-mb", mb, "search", "--demo")...)
		if r.code != ExitUsage || !strings.Contains(r.stderr, "--max-response-mb") {
			t.Errorf("--max-response-mb %s: exit %d, stderr %q", mb, r.code, r.stderr)
		}
	}
	if r := run(t, nil, "", append(isolate(t), "--max-response-mb", "8796093022207", "search", "--demo")...); r.code != ExitOK {
		t.Errorf("--max-response-mb 8796093022207 (the largest): exit %d, stderr %q", r.code, r.stderr)
	}
}
