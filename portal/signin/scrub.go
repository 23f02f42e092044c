package signin

import (
	"errors"
	"net/url"
	"strings"

	"golang.org/x/oauth2"
)

// scrubbed is an error whose message has had secrets removed. It still
// unwraps to the original so callers can use errors.As (e.g. to find an
// *oauth2.RetrieveError); the original's secrets are scrubbed in place where
// it carries them in fields.
type scrubbed struct {
	msg string
	err error
}

func (e *scrubbed) Error() string { return e.msg }
func (e *scrubbed) Unwrap() error { return e.err }

// scrub removes every secret from err's message, and from the fields of a
// token endpoint's error answer (which quotes the response body).
func scrub(err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		re.Body = []byte(redact(string(re.Body), secrets))
		re.ErrorDescription = redact(re.ErrorDescription, secrets)
		re.ErrorURI = redact(re.ErrorURI, secrets)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		ue.URL = redact(ue.URL, secrets)
	}
	return &scrubbed{msg: redact(err.Error(), secrets), err: err}
}

func redact(s string, secrets []string) string {
	for _, sec := range secrets {
		if sec == "" {
			continue
		}
		s = strings.ReplaceAll(s, sec, "[redacted]")
		if esc := url.PathEscape(sec); esc != sec {
			s = strings.ReplaceAll(s, esc, "[redacted]")
		}
		if esc := url.QueryEscape(sec); esc != sec {
			s = strings.ReplaceAll(s, esc, "[redacted]")
		}
	}
	return s
}
