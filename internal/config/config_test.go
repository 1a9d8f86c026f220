package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func writeFile(t *testing.T, name, body string, perm os.FileMode) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), perm); err != nil {
		t.Fatal(err)
	}
	return p
}

const sample = `
default: prod
profiles:
  prod:
    jaeger: https://jaeger.example.com/jaeger/
    token_env: PROD_TOKEN
    headers:
      X-Scope-OrgID: team-a
    timeout: 30s
    correlation_keys: [trace.correlation]
  zip:
    zipkin: http://127.0.0.1:9411
keys:
  list.refresh: [ctrl+r]
`

func TestPrecedence(t *testing.T) {
	f, warns, err := Load(writeFile(t, "c.yaml", sample, 0o600), true)
	if err != nil || len(warns) != 0 {
		t.Fatalf("load: %v %v", err, warns)
	}
	cases := []struct {
		name    string
		flags   Flags
		env     map[string]string
		kind    Kind
		url     string
		profile string
	}{
		{"flag beats env and config", Flags{Zipkin: "http://z:9411"}, map[string]string{EnvJaegerURL: "http://j:16686"}, KindZipkin, "http://z:9411", ""},
		{"env beats default profile", Flags{}, map[string]string{EnvJaegerURL: "http://j:16686"}, KindJaeger, "http://j:16686", ""},
		{"zipkin env", Flags{}, map[string]string{EnvZipkinURL: "http://z2:9411"}, KindZipkin, "http://z2:9411", ""},
		{"default profile", Flags{}, nil, KindJaeger, "https://jaeger.example.com/jaeger/", "prod"},
		{"explicit profile beats env", Flags{Profile: "zip"}, map[string]string{EnvJaegerURL: "http://j:16686"}, KindZipkin, "http://127.0.0.1:9411", "zip"},
		{"files", Flags{Files: []string{"a.json", "-"}}, nil, KindFile, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := Resolve(c.flags, f, env(c.env))
			if err != nil {
				t.Fatal(err)
			}
			if r.Kind != c.kind || r.HTTP.URL != c.url || r.Profile != c.profile {
				t.Fatalf("got kind=%v url=%q profile=%q", r.Kind, r.HTTP.URL, r.Profile)
			}
			if !r.Explicit {
				t.Fatal("a chosen backend must be explicit")
			}
		})
	}
}

func TestDemoFallback(t *testing.T) {
	r, err := Resolve(Flags{}, nil, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if r.Kind != KindDemo || r.Explicit {
		t.Fatalf("want implicit demo, got %v explicit=%v", r.Kind, r.Explicit)
	}
	if len(r.CorrelationKeys) != 6 {
		t.Fatalf("default correlation keys: %v", r.CorrelationKeys)
	}
}

func TestProfileOptions(t *testing.T) {
	f, _, err := Load(writeFile(t, "c.yaml", sample, 0o600), true)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Resolve(Flags{Headers: []string{"X-Extra: 1"}, Timeout: 10 * time.Second}, f, env(map[string]string{"PROD_TOKEN": "s3cret"}))
	if err != nil {
		t.Fatal(err)
	}
	if r.HTTP.Token != "s3cret" {
		t.Fatalf("token from token_env: %q", r.HTTP.Token)
	}
	if r.HTTP.Timeout != 30*time.Second {
		t.Fatalf("profile timeout should stand when the flag is not set: %v", r.HTTP.Timeout)
	}
	if len(r.HTTP.Headers) != 2 {
		t.Fatalf("headers: %+v", r.HTTP.Headers)
	}
	if r.CorrelationKeys[0] != "trace.correlation" || len(r.CorrelationKeys) != 1 {
		t.Fatalf("correlation keys: %v", r.CorrelationKeys)
	}
	if got := r.Keys["list.refresh"]; len(got) != 1 || got[0] != "ctrl+r" {
		t.Fatalf("key overrides: %v", r.Keys)
	}
	// TRACETUI_TOKEN beats the profile's token.
	r, err = Resolve(Flags{TimeoutSet: true, Timeout: time.Second}, f, env(map[string]string{"PROD_TOKEN": "a", EnvToken: "b"}))
	if err != nil {
		t.Fatal(err)
	}
	if r.HTTP.Token != "b" || r.HTTP.Timeout != time.Second {
		t.Fatalf("env token / flag timeout: %q %v", r.HTTP.Token, r.HTTP.Timeout)
	}
}

func TestTokenFile(t *testing.T) {
	tok := writeFile(t, "token", "tok-from-file\n", 0o644)
	cfg := "profiles:\n  p:\n    jaeger: http://127.0.0.1:16686\n    token_file: " + tok + "\n"
	f, _, err := Load(writeFile(t, "c.yaml", cfg, 0o600), true)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Resolve(Flags{Profile: "p"}, f, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if r.HTTP.Token != "tok-from-file" {
		t.Fatalf("token: %q", r.HTTP.Token)
	}
	w := SecretFileWarnings(f, "p")
	if len(w) != 1 || strings.Contains(w[0], "tok-from-file") {
		t.Fatalf("want one warning without the secret, got %v", w)
	}
}

func TestInlineSecretWarning(t *testing.T) {
	cfg := "profiles:\n  p:\n    jaeger: http://127.0.0.1:16686\n    token: hunter2\n"
	_, warns, err := Load(writeFile(t, "c.yaml", cfg, 0o644), true)
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) != 1 || strings.Contains(warns[0], "hunter2") {
		t.Fatalf("want one warning without the secret: %v", warns)
	}
	_, warns, err = Load(writeFile(t, "c.yaml", cfg, 0o600), true)
	if err != nil || len(warns) != 0 {
		t.Fatalf("private file must not warn: %v %v", warns, err)
	}
}

func TestUsageErrors(t *testing.T) {
	f, _, _ := Load(writeFile(t, "c.yaml", sample, 0o600), true)
	for name, fl := range map[string]Flags{
		"two backends":   {Jaeger: "http://a", Zipkin: "http://b"},
		"bad header":     {Jaeger: "http://a", Headers: []string{"no colon"}},
		"unknown prof":   {Profile: "nope"},
		"not http":       {Jaeger: "ftp://x"},
		"scheme missing": {Zipkin: "localhost:9411"},
		"unparsable":     {Jaeger: "http://[::1"},
		"no host":        {Jaeger: "http:///api"},
	} {
		_, err := Resolve(fl, f, env(nil))
		var ue *UsageError
		if !errors.As(err, &ue) {
			t.Errorf("%s: want usage error, got %v", name, err)
		}
	}
}

func TestLoadMissingAndBad(t *testing.T) {
	f, _, err := Load(filepath.Join(t.TempDir(), "none.yaml"), false)
	if err != nil || f != nil {
		t.Fatalf("missing default file: %v %v", f, err)
	}
	if _, _, err := Load(filepath.Join(t.TempDir(), "none.yaml"), true); err == nil {
		t.Fatal("missing explicit file must fail")
	}
	if _, _, err := Load(writeFile(t, "c.yaml", "profiles: [1, 2\n", 0o600), true); err == nil {
		t.Fatal("bad YAML must fail")
	}
	if _, _, err := Load(writeFile(t, "c.yaml", "profilez: {}\n", 0o600), true); err == nil {
		t.Fatal("unknown key must fail")
	}
	f, _, err = Load(writeFile(t, "c.yaml", "", 0o600), true)
	if err != nil || f == nil {
		t.Fatalf("empty file: %v", err)
	}
}

// TestErrorsNameNoSecret: a mistyped config or URL must not print the
// secret it holds, nor its start (YAML quotes the first few characters).
func TestErrorsNameNoSecret(t *testing.T) {
	const secret = "s3cret-abcdef"
	for name, body := range map[string]string{
		"headers not a map":  "profiles:\n  p:\n    jaeger: http://j\n    headers: Bearer " + secret + "\n",
		"token not a string": "profiles:\n  p:\n    jaeger: http://j\n    token: {Bearer: " + secret + "}\n",
		"password in a list": "profiles:\n  p:\n    jaeger: http://j\n    password: [" + secret + "]\n    insecure_skip_verify: " + secret + "\n",
	} {
		_, _, err := Load(writeFile(t, "c.yaml", body, 0o600), true)
		if err == nil {
			t.Errorf("%s: no error", name)
		} else if strings.Contains(err.Error(), secret[:6]) {
			t.Errorf("%s: secret in %q", name, err)
		}
	}
	for _, u := range []string{"bob:" + secret + "@jaeger:16686", "ftp://bob:" + secret + "@x"} {
		_, err := Resolve(Flags{Jaeger: u}, nil, env(nil))
		if err == nil || strings.Contains(err.Error(), secret) {
			t.Errorf("%s: %v", u, err)
		}
	}
}
