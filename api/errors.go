package api

import (
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"

	"github.com/gofiber/fiber/v2"

	"digigap/survey"
)

// statusOf maps each domain error code to its HTTP status, in one table.
var statusOf = map[string]int{
	survey.EMALFORMED:   fiber.StatusBadRequest,
	survey.EUNAUTH:      fiber.StatusUnauthorized,
	survey.EFORBIDDEN:   fiber.StatusForbidden,
	survey.ENOTFOUND:    fiber.StatusNotFound,
	survey.ECONFLICT:    fiber.StatusConflict,
	survey.ETOOLARGE:    fiber.StatusRequestEntityTooLarge,
	survey.ETOOMANY:     fiber.StatusTooManyRequests,
	survey.EINVALID:     fiber.StatusUnprocessableEntity,
	survey.EUNAVAILABLE: fiber.StatusServiceUnavailable,
	survey.EINTERNAL:    fiber.StatusInternalServerError,
	codeTimeout:         fiber.StatusRequestTimeout,
	codeURITooLong:      fiber.StatusRequestURITooLong,
	codeHeadTooLarge:    fiber.StatusRequestHeaderFieldsTooLarge,
	codeNotImplemented:  fiber.StatusNotImplemented,
}

// codeOfStatus maps Fiber's own errors (unknown route, body too large…) back to codes.
var codeOfStatus = map[int]string{
	fiber.StatusBadRequest:            survey.EMALFORMED,
	fiber.StatusUnauthorized:          survey.EUNAUTH,
	fiber.StatusForbidden:             survey.EFORBIDDEN,
	fiber.StatusNotFound:              survey.ENOTFOUND,
	fiber.StatusMethodNotAllowed:      survey.ENOTFOUND,
	fiber.StatusConflict:              survey.ECONFLICT,
	fiber.StatusRequestEntityTooLarge: survey.ETOOLARGE,
	fiber.StatusTooManyRequests:       survey.ETOOMANY,
	fiber.StatusUnprocessableEntity:   survey.EINVALID,
	fiber.StatusServiceUnavailable:    survey.EUNAVAILABLE,
}

// errorBody is the JSON shape of every API error.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string        `json:"code"`
	Message string        `json:"message"`
	Field   string        `json:"field,omitempty"`
	Key     string        `json:"key,omitempty"` // a stable message code (invitation_used…)
	Details []errorDetail `json:"details,omitempty"`
}

// toDomainError turns any error into a domain error a client may see.
func toDomainError(err error) *survey.Error {
	var de *survey.Error
	if errors.As(err, &de) {
		return de
	}
	var fe *fiber.Error
	if errors.As(err, &fe) {
		if r, ok := refusals[fe.Code]; ok {
			return &survey.Error{Code: r.code, Message: r.message}
		}
		code, ok := codeOfStatus[fe.Code]
		if !ok {
			code = survey.EINTERNAL
		}
		return &survey.Error{Code: code, Message: fe.Message}
	}
	// A database that is gone, refusing connections or past its deadline
	// is 503 on every route, whether or not the store mapped it.
	if errors.As(survey.Unavailable(err), &de) {
		return de
	}
	return &survey.Error{Code: survey.EINTERNAL, Message: "internal error"}
}

// errorHandler replaces Fiber's default, which would show err.Error() to
// clients: internal errors are logged and shown only as "internal error".
func errorHandler(log *slog.Logger) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		de := toDomainError(err)
		status := statusOf[de.Code]
		if status == 0 {
			status = fiber.StatusInternalServerError
		}
		if beforeRouting(c) {
			// fasthttp or guardHead refused the request before any route
			// ran: the client's doing, so a warning, without the request
			// line (a path may hold a team link, a query anything).
			log.Warn("request refused", "status", status, "code", de.Code)
			return c.Status(status).JSON(errorBody{Error: detailOf(de)})
		}
		if oversized[status] {
			log.Warn("request refused", "status", status, "code", de.Code, "route", routeOf(c))
		}
		if status >= 500 {
			log.Error("request failed", "method", c.Method(), "route", routeOf(c), "err", err.Error())
		}
		if wantsHTML(c) {
			return renderErrorPage(c, status, pageMessage(langOf(c), de))
		}
		return c.Status(status).JSON(errorBody{Error: detailOf(de)})
	}
}

func detailOf(e *survey.Error) errorDetail {
	d := errorDetail{Code: e.Code, Message: e.Message, Field: e.Field, Key: e.Key}
	for _, sub := range e.Details {
		d.Details = append(d.Details, errorDetail{Code: sub.Code, Message: sub.Message, Field: sub.Field})
	}
	return d
}

// recoverPanics turns a panic into a logged internal error instead of a dropped connection.
func recoverPanics(log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) (err error) {
		defer func() {
			if r := recover(); r != nil {
				log.Error("panic", "route", routeOf(c), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				err = survey.Errorf(survey.EINTERNAL, "internal error")
			}
		}()
		return c.Next()
	}
}

// pageMessage is a domain error as an error page shows it: from the
// catalogue when the error is keyed; else the English wording only to an
// English reader (the page's heading, from the catalogue, says the rest).
func pageMessage(lang string, de *survey.Error) string {
	if de.Key != "" && hasMessage("err."+de.Key) {
		return translate(lang, "err."+de.Key, de.Args...)
	}
	if lang == "en" {
		return de.Message
	}
	return ""
}
