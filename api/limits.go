package api

import (
	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"digigap/survey"
)

// Limits of a request head. A request target longer than URILimit gets 414,
// header fields over HeaderLimit get 431; fasthttp itself refuses a head
// over headBuffer with 431, whatever part of it is long.
const (
	URILimit    = 4 << 10
	HeaderLimit = 8 << 10
	headBuffer  = 16 << 10
)

// Codes of the refusals made before a request reaches a route; each maps
// to one status in statusOf.
const (
	codeTimeout        = "timeout"         // 408: the client was too slow or idle
	codeURITooLong     = "uri_too_long"    // 414
	codeHeadTooLarge   = "head_too_large"  // 431
	codeNotImplemented = "not_implemented" // 501: an unknown HTTP method
)

// refusals are the messages of the statuses fasthttp and guardHead answer
// before routing, in plain words.
var refusals = map[int]struct{ code, message string }{
	fiber.StatusBadRequest:                  {survey.EMALFORMED, "the request could not be read"},
	fiber.StatusBadGateway:                  {survey.EMALFORMED, "the request could not be read"},
	fiber.StatusRequestTimeout:              {codeTimeout, "the request took too long to arrive: send it again"},
	fiber.StatusRequestEntityTooLarge:       {survey.ETOOLARGE, "request body too large"},
	fiber.StatusRequestURITooLong:           {codeURITooLong, "the address is too long"},
	fiber.StatusRequestHeaderFieldsTooLarge: {codeHeadTooLarge, "the request headers (cookies included) are too large"},
	fiber.StatusNotImplemented:              {codeNotImplemented, "this HTTP method is not supported"},
}

// oversized are the refusals of a request too large, too slow or of an
// unknown method: the error handler logs them at WARN wherever they arise.
var oversized = map[int]bool{
	fiber.StatusRequestTimeout: true, fiber.StatusRequestEntityTooLarge: true, fiber.StatusRequestURITooLong: true,
	fiber.StatusRequestHeaderFieldsTooLarge: true, fiber.StatusNotImplemented: true,
}

// guardHead runs before Fiber's router: it refuses unknown methods (Fiber
// would answer them in plain text) and heads over the limits, through the
// app's one error handler.
func guardHead(app *fiber.App) {
	srv := app.Server()
	next := srv.Handler
	srv.Handler = func(fctx *fasthttp.RequestCtx) {
		var err error
		switch h := &fctx.Request.Header; {
		case !knownMethod(h.Method()):
			err = fiber.ErrNotImplemented
		case len(h.RequestURI()) > URILimit:
			err = fiber.ErrRequestURITooLong
		case len(h.RawHeaders()) > HeaderLimit:
			err = fiber.ErrRequestHeaderFieldsTooLarge
		default:
			next(fctx)
			return
		}
		c := app.AcquireCtx(fctx)
		defer app.ReleaseCtx(c)
		fctx.SetConnectionClose()
		if app.ErrorHandler(c, err) != nil {
			fctx.SetStatusCode(fiber.StatusInternalServerError)
		}
	}
}

func knownMethod(m []byte) bool {
	for _, known := range fiber.DefaultMethods {
		if string(m) == known {
			return true
		}
	}
	return false
}

// beforeRouting tells a request refused by fasthttp or guardHead, which has
// no route (Fiber then reports the raw path as the route's).
func beforeRouting(c *fiber.Ctx) bool {
	return len(c.Route().Handlers) == 0
}
