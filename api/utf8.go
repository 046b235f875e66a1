package api

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"digigap/survey"
)

// requireUTF8 refuses, with 422 and the field's name, a JSON or form body
// holding a string that is not UTF-8: encoding/json would silently store
// U+FFFD in its place (and fasthttp passes form bytes as they came).
// Multipart file parts are left to their own parsers.
func requireUTF8(c *fiber.Ctx) error {
	ct := string(c.Request().Header.ContentType())
	var field string
	var bad bool
	switch {
	case strings.HasPrefix(ct, fiber.MIMEApplicationJSON):
		field, bad = badJSONString(c.Body())
	case strings.HasPrefix(ct, fiber.MIMEApplicationForm) && !strings.HasPrefix(c.Path(), "/s/"):
		// (The respondent form checks its own fields, and shows the
		// message next to the field.)
		field, bad = badFormValue(c)
	case strings.HasPrefix(ct, fiber.MIMEMultipartForm):
		field, bad = badMultipartValue(c)
	}
	if bad {
		return survey.FieldError(survey.EINVALID, field, "this text is not valid UTF-8: check the characters and send it again")
	}
	return c.Next()
}

func badFormValue(c *fiber.Ctx) (field string, bad bool) {
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		if !bad && (!utf8.Valid(k) || !utf8.Valid(v)) {
			field, bad = strings.ToValidUTF8(string(k), "\uFFFD"), true
		}
	})
	return field, bad
}

func badMultipartValue(c *fiber.Ctx) (string, bool) {
	form, err := c.MultipartForm()
	if err != nil {
		return "", false // the handler reports a form it cannot read
	}
	for k, vs := range form.Value {
		for _, v := range vs {
			if !utf8.ValidString(k) || !utf8.ValidString(v) {
				return strings.ToValidUTF8(k, "\uFFFD"), true
			}
		}
	}
	return "", false
}

// badJSONString finds the first string of body (key or value) that is not
// valid UTF-8, raw or through a lone surrogate escape such as \ud800, and
// returns the name of its field.
func badJSONString(body []byte) (string, bool) {
	if utf8.Valid(body) && !bytes.Contains(body, []byte(`\ud`)) && !bytes.Contains(body, []byte(`\uD`)) {
		return "", false // the common case: nothing to look at
	}
	type frame struct {
		object, wantKey bool
		key             string
	}
	var stack []frame
	// The field is the innermost key, as the API names fields elsewhere
	// ("title", "comment", "email.private" inside "answers").
	path := func() string {
		for i := len(stack) - 1; i >= 0; i-- {
			if stack[i].object && stack[i].key != "" {
				return stack[i].key
			}
		}
		return "body"
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	for {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return "", false // the end, or malformed JSON: the decoder reports that
		}
		s, isString := tok.(string)
		bad := isString && strings.ContainsRune(s, utf8.RuneError) && !hasReplacement(body[start:dec.InputOffset()])
		if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].wantKey && isString {
			stack[n-1].key, stack[n-1].wantKey = strings.ToValidUTF8(s, "\uFFFD"), false
			if bad {
				return path(), true
			}
			continue
		}
		if bad {
			return path(), true
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			stack = append(stack, frame{object: tok == json.Delim('{'), wantKey: tok == json.Delim('{')})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		// A value ended: the enclosing object waits for its next key.
		if n := len(stack); n > 0 && stack[n-1].object {
			stack[n-1].wantKey = true
		}
	}
}

// hasReplacement tells whether the raw token itself wrote U+FFFD, as the
// character or as an escape, so that a sender may still use it.
func hasReplacement(raw []byte) bool {
	return bytes.Contains(raw, []byte("\uFFFD")) || bytes.Contains(bytes.ToLower(raw), []byte(`\ufffd`))
}
