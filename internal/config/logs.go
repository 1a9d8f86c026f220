package config

import (
	"fmt"
	"slices"

	"github.com/tracetui/tracetui/internal/links"
)

// applyLogs sets the log files and link templates. --logs replaces a
// profile's logs (flags beat the config file, key by key); link templates
// are the profile's, then the file's.
func (r *Resolved) applyLogs(fl Flags, f *File, prof *Profile) {
	switch {
	case len(fl.Logs) > 0:
		r.Logs = slices.Clone(fl.Logs)
	case prof != nil:
		for _, p := range prof.Logs {
			r.Logs = append(r.Logs, expandHome(p))
		}
	}
	if prof != nil {
		r.Links = append(r.Links, prof.Links...)
	}
	if f != nil {
		r.Links = append(r.Links, f.Links...)
	}
}

// LinkTemplates are the user's link templates followed by the backend's
// own UI (Jaeger UI, Zipkin Lens) when there is one.
func (r *Resolved) LinkTemplates() []links.Template {
	out := slices.Clone(r.Links)
	if r.Kind == KindJaeger || r.Kind == KindZipkin {
		out = append(out, links.Defaults(r.Kind.String(), r.HTTP.URL)...)
	}
	return out
}

// validateLinks checks every link template of the file.
func (f *File) validateLinks() error {
	if err := links.Validate(f.Links); err != nil {
		return err
	}
	for name, p := range f.Profiles {
		if err := links.Validate(p.Links); err != nil {
			return fmt.Errorf("profile %q: %w", name, err)
		}
	}
	return nil
}
