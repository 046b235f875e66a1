package api

import (
	"bytes"
	"encoding/json"
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
		return "field " + te.Field + " must be " + te.Type.String()
	}
	if se, ok := err.(*json.SyntaxError); ok {
		return "syntax error at byte " + strconv.FormatInt(se.Offset, 10)
	}
	return "it cannot be decoded"
}

// idParam reads a positive integer route parameter.
func idParam(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, survey.FieldError(survey.ENOTFOUND, name, "no such %s", name)
	}
	return id, nil
}
