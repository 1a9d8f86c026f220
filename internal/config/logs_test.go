package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const logsSample = `
default: prod
links:
  - type: trace
    name: Logs in Kibana
    url: https://kibana.example/app/discover#/?_a=(query:'trace.id:{traceID32}')
profiles:
  prod:
    jaeger: https://jaeger.example.com/jaeger/
    logs: [~/logs/app.log, /var/log/pay.log.gz]
    links:
      - type: service
        name: "{service} dashboard"
        url: https://grafana.example/d/svc?var-service={service}
  files:
    files: [trace.json]
`

func TestLogsAndLinks(t *testing.T) {
	f, _, err := Load(writeFile(t, "c.yaml", logsSample, 0o600), true)
	if err != nil {
		t.Fatal(err)
	}
	home, _ := os.UserHomeDir()
	r, err := Resolve(Flags{}, f, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{filepath.Join(home, "logs/app.log"), "/var/log/pay.log.gz"}; !slices.Equal(r.Logs, want) {
		t.Errorf("profile logs %q, want %q", r.Logs, want)
	}
	tpls := r.LinkTemplates()
	if len(tpls) != 4 || tpls[0].Type != "service" || tpls[1].Name != "Logs in Kibana" ||
		tpls[2].URL != "https://jaeger.example.com/jaeger/trace/{traceID}" || tpls[3].Type != "span" {
		t.Errorf("templates %+v", tpls)
	}

	// --logs replaces the profile's.
	r, err = Resolve(Flags{Logs: []string{"x.log"}}, f, env(nil))
	if err != nil || !slices.Equal(r.Logs, []string{"x.log"}) {
		t.Errorf("flag logs %q %v", r.Logs, err)
	}
	// Logs go with the demo too, and a file backend has no UI of its own.
	r, err = Resolve(Flags{Logs: []string{"x.log"}}, nil, env(nil))
	if err != nil || r.Kind != KindDemo || !slices.Equal(r.Logs, []string{"x.log"}) || len(r.LinkTemplates()) != 0 {
		t.Errorf("demo: %+v %v", r, err)
	}
	r, err = Resolve(Flags{Profile: "files"}, f, env(nil))
	if err != nil || len(r.Logs) != 0 || len(r.LinkTemplates()) != 1 {
		t.Errorf("files profile: %+v %v", r.LinkTemplates(), err)
	}
	r, err = Resolve(Flags{Zipkin: "http://z:9411"}, nil, env(nil))
	if tp := r.LinkTemplates(); err != nil || len(tp) != 1 || tp[0].URL != "http://z:9411/zipkin/traces/{traceID}" {
		t.Errorf("zipkin: %+v %v", tp, err)
	}
}

func TestBadLinkTemplate(t *testing.T) {
	for _, body := range []string{
		"links:\n  - type: trace\n    url: https://x/{nope}\n",
		"links:\n  - type: process\n    url: https://x/\n",
		"profiles:\n  p:\n    demo: true\n    links:\n      - type: span\n        url: ftp://x/{spanID}\n",
	} {
		_, _, err := Load(writeFile(t, "c.yaml", body, 0o600), true)
		if err == nil || !strings.Contains(err.Error(), "link") {
			t.Errorf("%q: %v", body, err)
		}
	}
}
