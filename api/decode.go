package api

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"digigap/survey"
)

// decodeJSON reads a request body into an input struct. Fields the struct
// does not have are ignored, so a body cannot set ids, roles or teams it
// was not meant to (mass assignment).
func decodeJSON(c *fiber.Ctx, into any) error {
	body := c.Body()
	if len(bytes.TrimSpace(body)) == 0 {
		return survey.Errorf(survey.EMALFORMED, "the request body is empty: send a JSON object")
	}
	if err := json.Unmarshal(body, into); err != nil {
		return survey.Errorf(survey.EMALFORMED, "the request body is not valid JSON for this call: %s", jsonProblem(err))
	}
	return nil
}

// jsonProblem names the field of a type mismatch without echoing input.
func jsonProblem(err error) string {
	if te, ok := err.(*json.UnmarshalTypeError); ok {
		return "field " + te.Field + " must be " + jsonKind(te.Type)
	}
	if se, ok := err.(*json.SyntaxError); ok {
		return "syntax error at byte " + strconv.FormatInt(se.Offset, 10)
	}
	return "it cannot be decoded"
}

// jsonKind names a Go type in JSON words, for error messages.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.String:
		return "text"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return t.String()
}

// idParam reads a positive integer route parameter.
func idParam(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, survey.FieldError(survey.ENOTFOUND, name, "no such %s", name)
	}
	return id, nil
}
