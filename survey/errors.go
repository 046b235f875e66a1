// Package survey is digigap's domain: the org tree (Team), versioned
// questionnaires, campaigns, invitations and anonymous responses, with their
// validation rules and the GORM store that keeps them on SQLite or PostgreSQL.
package survey

import (
	"errors"
	"fmt"
)

// Error codes shared by every layer; api maps each to one HTTP status.
const (
	ECONFLICT    = "conflict"     // state or uniqueness forbids the change (409)
	EINVALID     = "invalid"      // well-formed input that breaks a rule (422)
	EMALFORMED   = "malformed"    // input that cannot be decoded at all (400)
	ENOTFOUND    = "not_found"    // no such object, or not visible to the caller (404)
	EFORBIDDEN   = "forbidden"    // the caller may not do this (403)
	EUNAUTH      = "unauthorized" // the caller is not authenticated (401)
	ETOOLARGE    = "too_large"    // request body over its limit (413)
	ETOOMANY     = "too_many"     // too many attempts: wait and retry (429)
	EUNAVAILABLE = "unavailable"  // the database cannot be reached or written (503)
	EINTERNAL    = "internal"     // a bug or an unexpected failure (500)
)

// Error is a domain error a user can act on: a code, a message in plain
// words and, when one input is at fault, the name of that field.
// Details lists further field errors when several inputs are wrong at once.
type Error struct {
	Code    string
	Message string
	Field   string
	Details []*Error
	// Key and Args, when set, name the message in the pages' catalogues
	// (err.<Key>, formatted with Args), so a form shows it in the reader's
	// language; Message stays the English wording for the API and logs.
	Key  string
	Args []any
}

// Keyed gives e a catalogue key and its arguments.
func (e *Error) Keyed(key string, args ...any) *Error {
	e.Key, e.Args = key, args
	return e
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, e.Field)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf builds an Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError builds an Error that names the input at fault.
func FieldError(code, field, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of a domain error, or EINTERNAL for any other error.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EINTERNAL
}

// ErrorMessage returns the message of a domain error, or "internal error"
// so that unexpected failures never leak details to a client.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// FieldErrors collects every invalid input of one request, so a form or an
// API client sees all problems at once; Err returns nil when none was added.
type FieldErrors struct{ list []*Error }

// Add records one invalid field.
func (f *FieldErrors) Add(field, format string, args ...any) {
	f.list = append(f.list, FieldError(EINVALID, field, format, args...))
}

// AddKeyed records one invalid field whose message has a catalogue key.
func (f *FieldErrors) AddKeyed(field, key, format string, args ...any) {
	f.list = append(f.list, FieldError(EINVALID, field, format, args...).Keyed(key, args...))
}

// AddError records an invalid field's error as it is, its catalogue key
// included.
func (f *FieldErrors) AddError(field string, err error) {
	var e *Error
	if !errors.As(err, &e) {
		f.Add(field, "%s", ErrorMessage(err))
		return
	}
	c := *e
	c.Field = field
	f.list = append(f.list, &c)
}

// Err returns one EINVALID error naming the first field and listing all.
func (f *FieldErrors) Err() error {
	if len(f.list) == 0 {
		return nil
	}
	first := f.list[0]
	return &Error{Code: EINVALID, Field: first.Field, Message: first.Message, Details: f.list, Key: first.Key, Args: first.Args}
}

// Phrase is a part of a keyed message that is itself worded by the
// catalogues (err.<Key> with Args), such as the name of the item at fault:
// the pages word it in the reader's language, and in English it prints as
// its English wording, so it can be an argument of Message too.
type Phrase struct {
	Key  string
	Args []any
	en   string
}

// NewPhrase names the catalogue key of a phrase and its English wording.
func NewPhrase(key, en string, args ...any) Phrase {
	return Phrase{Key: key, Args: args, en: en}
}

func (p Phrase) String() string { return fmt.Sprintf(p.en, p.Args...) }
