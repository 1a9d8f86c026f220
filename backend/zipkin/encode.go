package zipkin

import (
	"bufio"
	"encoding/json"
	"io"
	"strings"

	"github.com/tracetui/tracetui/backend"
)

type outEndpoint struct {
	ServiceName string `json:"serviceName,omitempty"`
	IPv4        string `json:"ipv4,omitempty"`
	IPv6        string `json:"ipv6,omitempty"`
	Port        int64  `json:"port,omitempty"`
}

type outAnnotation struct {
	Timestamp int64  `json:"timestamp"`
	Value     string `json:"value"`
}

type outSpan struct {
	TraceID        string            `json:"traceId"`
	ParentID       string            `json:"parentId,omitempty"`
	ID             string            `json:"id"`
	Kind           string            `json:"kind,omitempty"`
	Name           string            `json:"name,omitempty"`
	Timestamp      int64             `json:"timestamp,omitempty"`
	Duration       int64             `json:"duration,omitempty"`
	LocalEndpoint  *outEndpoint      `json:"localEndpoint,omitempty"`
	RemoteEndpoint *outEndpoint      `json:"remoteEndpoint,omitempty"`
	Annotations    []outAnnotation   `json:"annotations,omitempty"`
	Tags           map[string]string `json:"tags,omitempty"`
	Debug          bool              `json:"debug,omitempty"`
}

// Encode writes one trace as a Zipkin v2 span list (`[span, ...]`), the body
// POST /api/v2/spans takes and GET /api/v2/trace/{id} returns. Each span is
// written separately: shared halves that Decode split keep their derived IDs,
// which is valid Zipkin and decodes to the same tree. Times are truncated to
// microseconds; typed tags become strings; an error without an error tag gets
// one (Zipkin's only error marker).
func Encode(w io.Writer, t *backend.Trace) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	if _, err := bw.WriteString("["); err != nil {
		return err
	}
	traceID := t.ID.Short()
	for i := range t.Spans {
		if i > 0 {
			if _, err := bw.WriteString(","); err != nil {
				return err
			}
		}
		if err := enc.Encode(toWire(traceID, &t.Spans[i])); err != nil {
			return err
		}
	}
	if _, err := bw.WriteString("]\n"); err != nil {
		return err
	}
	return bw.Flush()
}

func toWire(traceID string, s *backend.Span) *outSpan {
	o := &outSpan{
		TraceID:   traceID,
		ID:        string(s.SpanID),
		ParentID:  string(s.ParentID),
		Name:      s.Operation,
		Timestamp: s.Start / 1000,
		Duration:  s.Duration / 1000,
	}
	if o.TraceID == "" {
		o.TraceID = backend.TraceID(s.TraceID).Short()
	}
	if s.Duration > 0 && o.Duration == 0 {
		o.Duration = 1 // Zipkin's smallest duration; 0 would read as absent
	}
	switch s.Kind {
	case backend.KindClient, backend.KindServer, backend.KindProducer, backend.KindConsumer:
		o.Kind = strings.ToUpper(s.Kind.String())
	}
	local := outEndpoint{ServiceName: s.Service}
	if s.Process != nil {
		if local.ServiceName == "" {
			local.ServiceName = s.Process.Service
		}
		for _, kv := range s.Process.Tags {
			switch kv.Key {
			case TagHostIP:
				if strings.Contains(kv.Str, ":") {
					local.IPv6 = kv.Str
				} else {
					local.IPv4 = kv.Str
				}
			case TagHostIPv6:
				local.IPv6 = kv.Str
			case TagHostPort:
				local.Port = kv.Num
			}
		}
	}
	if local != (outEndpoint{}) {
		o.LocalEndpoint = &local
	}
	var remote outEndpoint
	for _, kv := range s.Tags {
		switch kv.Key {
		case TagPeerSvc:
			remote.ServiceName = kv.Value()
			continue
		case TagPeerIPv4:
			remote.IPv4 = kv.Value()
			continue
		case TagPeerIPv6:
			remote.IPv6 = kv.Value()
			continue
		case TagPeerPort:
			if kv.Type == backend.TypeInt64 {
				remote.Port = kv.Num
				continue
			}
		case TagDebug:
			if kv.Type == backend.TypeBool {
				o.Debug = kv.BoolValue()
				continue
			}
		}
		if o.Tags == nil {
			o.Tags = make(map[string]string, len(s.Tags))
		}
		o.Tags[kv.Key] = kv.Value()
	}
	if remote != (outEndpoint{}) {
		o.RemoteEndpoint = &remote
	}
	if s.Error {
		if _, ok := o.Tags["error"]; !ok {
			if o.Tags == nil {
				o.Tags = make(map[string]string, 1)
			}
			msg := s.Status.Message
			if msg == "" {
				msg = "true"
			}
			o.Tags["error"] = msg
		}
	}
	for _, l := range s.Logs {
		o.Annotations = append(o.Annotations, outAnnotation{Timestamp: l.Time / 1000, Value: logValue(l)})
	}
	return o
}

// logValue is the annotation text of a log: its event, or its fields as
// k=v pairs when there is more than an event.
func logValue(l backend.Log) string {
	if len(l.Fields) == 1 && l.Fields[0].Key == "event" {
		return l.Fields[0].Value()
	}
	parts := make([]string, 0, len(l.Fields))
	for _, f := range l.Fields {
		parts = append(parts, f.Key+"="+f.Value())
	}
	return strings.Join(parts, " ")
}
