package config

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
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

// TestMergeKeyByKey: flags win over the environment over the profile over
// the defaults one setting at a time; a backend named on the command line
// or in the environment no longer drops the default profile. The profile's
// credentials, headers and TLS settings belong to its server's origin and
// are never sent to another.
func TestMergeKeyByKey(t *testing.T) {
	const cfg = `
default: prod
profiles:
  prod:
    jaeger: https://jaeger.example.com/jaeger/
    token_env: PROD_TOKEN
    username: reader
    password_env: PROD_PASSWORD
    headers:
      X-Scope-OrgID: team-a
      X-Other: keep
    ca_cert: /etc/prod-ca.pem
    insecure_skip_verify: true
    timeout: 30s
    max_response_bytes: 1000
    correlation_keys: [order_ref]
  files:
    files: [/tmp/t.json]
    correlation_keys: [file_key]
  bad:
    jaeger: http://a
    token_file: /nonexistent/token
`
	f, _, err := Load(writeFile(t, "c.yaml", cfg, 0o600), true)
	if err != nil {
		t.Fatal(err)
	}
	secrets := env(map[string]string{"PROD_TOKEN": "tok", "PROD_PASSWORD": "pw"})
	credentialsFor := func(r *Resolved) bool {
		return r.HTTP.Token != "" || r.HTTP.Password != "" || r.HTTP.Username != "" ||
			len(r.HTTP.Headers) > 0 || r.HTTP.CACertFile != "" || r.HTTP.InsecureSkipVerify
	}

	// Same origin as the profile (another path, default port spelled out):
	// everything of the profile applies under the flag's URL.
	r, err := Resolve(Flags{Jaeger: "https://JAEGER.example.com:443/other", Timeout: time.Second}, f, secrets)
	if err != nil {
		t.Fatal(err)
	}
	if r.HTTP.URL != "https://JAEGER.example.com:443/other" || r.HTTP.Token != "tok" || r.HTTP.Password != "pw" ||
		len(r.HTTP.Headers) != 2 || r.HTTP.CACertFile != "/etc/prod-ca.pem" || !r.HTTP.InsecureSkipVerify || r.Profile != "prod" {
		t.Errorf("same origin: %+v profile %q", r.HTTP, r.Profile)
	}
	if r.HTTP.Timeout != 30*time.Second || r.HTTP.MaxResponseBytes != 1000 || !slices.Equal(r.CorrelationKeys, []string{"order_ref"}) {
		t.Errorf("same origin, settings: timeout %v, max %d, keys %v", r.HTTP.Timeout, r.HTTP.MaxResponseBytes, r.CorrelationKeys)
	}

	// Another origin: the default profile's correlation keys, timeout and
	// limit stay; its token, password, headers and TLS settings do not go.
	for _, fl := range []Flags{
		{Jaeger: "http://localhost:16686"},
		{Jaeger: "http://jaeger.example.com/jaeger/"}, // same host, other scheme
		{Jaeger: "https://jaeger.example.com:8443/jaeger/"},
		{Zipkin: "https://evil.example.com/jaeger.example.com/"},
	} {
		fl.Timeout = time.Second
		r, err := Resolve(fl, f, secrets)
		if err != nil {
			t.Fatal(err)
		}
		if credentialsFor(r) || r.Profile != "" {
			t.Errorf("%s %s: the profile's connection settings were applied: %+v profile %q", fl.Jaeger, fl.Zipkin, r.HTTP, r.Profile)
		}
		if !slices.Equal(r.CorrelationKeys, []string{"order_ref"}) || r.HTTP.Timeout != 30*time.Second || r.HTTP.MaxResponseBytes != 1000 {
			t.Errorf("%s %s: settings not merged: keys %v timeout %v max %d", fl.Jaeger, fl.Zipkin, r.CorrelationKeys, r.HTTP.Timeout, r.HTTP.MaxResponseBytes)
		}
		if len(r.Warnings) != 0 {
			t.Errorf("the default profile dropped quietly, got %q", r.Warnings)
		}
	}

	// The environment's URL is treated like the flag's.
	r, err = Resolve(Flags{Timeout: time.Second}, f, env(map[string]string{EnvJaegerURL: "http://localhost:16686", "PROD_TOKEN": "tok"}))
	if err != nil || credentialsFor(r) || !slices.Equal(r.CorrelationKeys, []string{"order_ref"}) {
		t.Errorf("env URL: %+v %v, %v", r.HTTP, r.CorrelationKeys, err)
	}

	// An explicit --profile for another origin says what it did not send.
	r, err = Resolve(Flags{Profile: "prod", Jaeger: "http://localhost:16686", Timeout: time.Second}, f, secrets)
	if err != nil || credentialsFor(r) || len(r.Warnings) != 1 {
		t.Fatalf("explicit profile, other origin: %+v %q %v", r.HTTP, r.Warnings, err)
	}
	if w := r.Warnings[0]; !strings.Contains(w, `"prod"`) || !strings.Contains(w, "https://jaeger.example.com") || strings.Contains(w, "tok") {
		t.Errorf("warning %q", w)
	}

	// Flags win key by key: timeout, headers by name, CA, keys.
	r, err = Resolve(Flags{
		TimeoutSet: true, Timeout: 5 * time.Second, Headers: []string{"x-scope-orgid: team-b"},
		CACert: "/mine.pem", MaxResponseBytes: 7, CorrelationKeys: []string{"a", "b"},
	}, f, secrets)
	if err != nil {
		t.Fatal(err)
	}
	if r.HTTP.Timeout != 5*time.Second || r.HTTP.CACertFile != "/mine.pem" || r.HTTP.MaxResponseBytes != 7 ||
		!slices.Equal(r.CorrelationKeys, []string{"a", "b"}) || r.HTTP.Token != "tok" {
		t.Errorf("flags over profile: %+v keys %v", r.HTTP, r.CorrelationKeys)
	}
	var orgs []string
	for _, h := range r.HTTP.Headers {
		if strings.EqualFold(h.Name, "X-Scope-OrgID") {
			orgs = append(orgs, h.Value)
		}
	}
	if !slices.Equal(orgs, []string{"team-b"}) || len(r.HTTP.Headers) != 2 {
		t.Errorf("a flag header replaces the profile's of that name: %+v", r.HTTP.Headers)
	}

	// --correlation-key applies to files and the demo too.
	for _, fl := range []Flags{{Demo: true}, {Files: []string{"x.json"}}, {}} {
		fl.CorrelationKeys = []string{"k"}
		r, err := Resolve(fl, nil, env(nil))
		if err != nil || !slices.Equal(r.CorrelationKeys, []string{"k"}) {
			t.Errorf("%+v: keys %v, %v", fl, r.CorrelationKeys, err)
		}
	}
	if _, err := Resolve(Flags{CorrelationKeys: []string{" "}}, nil, env(nil)); !errors.As(err, new(*UsageError)) {
		t.Errorf("an empty --correlation-key: %v", err)
	}

	// A profile whose secret cannot be read does not matter to another origin.
	if _, err := Resolve(Flags{Profile: "bad", Jaeger: "http://b", Timeout: time.Second}, f, env(nil)); err != nil {
		t.Errorf("unused secret file read: %v", err)
	}
	if _, err := Resolve(Flags{Profile: "bad", Timeout: time.Second}, f, env(nil)); err == nil {
		t.Error("the profile's own secret file must be read")
	}

	// A default profile that is missing is an error only when it is needed.
	broken := &File{Default: "gone"}
	if _, err := Resolve(Flags{}, broken, env(nil)); !errors.As(err, new(*UsageError)) {
		t.Errorf("missing default profile needed: %v", err)
	}
	r, err = Resolve(Flags{Jaeger: "http://j:16686"}, broken, env(nil))
	if err != nil || len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], `"gone"`) {
		t.Errorf("missing default profile not needed: %v %q", err, r.Warnings)
	}
}
