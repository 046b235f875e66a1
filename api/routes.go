package api

import "github.com/gofiber/fiber/v2"

// routes are the route groups every handler registers into. The group a
// route is added to decides who may call it, in one place:
//
//	Public, PublicAPI  anyone, no session: respondent pages and submissions
//	                   (protected by their single-use tokens), health, assets
//	Login              the sign-in pages: an anonymous session holding a CSRF token
//	Pages, API         a signed-in HR user or manager; handlers read what the
//	                   caller may see with callerScope(c) and scope.Check
//	HRPages, HRAPI     HR only: 403 for a manager
//
// Pages answer an anonymous caller with a redirect to /login, the API with
// 401. Every group but the public ones checks the request's origin and its
// CSRF token on unsafe methods, except for bearer-token API calls.
// Adding a route is one line, e.g. r.API.Get("/campaigns/:id/gaps", h.gaps).
type routes struct {
	Public    fiber.Router // /
	PublicAPI fiber.Router // /api/v1
	Login     fiber.Router // /
	Pages     fiber.Router // /
	HRPages   fiber.Router // /
	API       fiber.Router // /api/v1
	HRAPI     fiber.Router // /api/v1
}

// guarded is a route group whose middleware runs only for its own routes.
// Fiber's Group(prefix, middleware...) registers the middleware for every
// path under the prefix, so a second group on the same prefix would run
// the first group's checks too (or not, depending on registration order);
// here each route gets its chain explicitly.
type guarded struct {
	fiber.Router
	chain []fiber.Handler
}

func guard(r fiber.Router, chain ...fiber.Handler) *guarded {
	return &guarded{Router: r, chain: chain}
}

func (g *guarded) with(h []fiber.Handler) []fiber.Handler {
	return append(append([]fiber.Handler{}, g.chain...), h...)
}

// Add registers a route behind the group's chain.
func (g *guarded) Add(method, path string, h ...fiber.Handler) fiber.Router {
	g.Router.Add(method, path, g.with(h)...)
	return g
}

// Get registers GET (and HEAD) behind the group's chain.
func (g *guarded) Get(path string, h ...fiber.Handler) fiber.Router {
	g.Router.Get(path, g.with(h)...)
	return g
}

// Head registers HEAD behind the group's chain.
func (g *guarded) Head(path string, h ...fiber.Handler) fiber.Router {
	return g.Add(fiber.MethodHead, path, h...)
}

// Post registers POST behind the group's chain.
func (g *guarded) Post(path string, h ...fiber.Handler) fiber.Router {
	return g.Add(fiber.MethodPost, path, h...)
}

// Put registers PUT behind the group's chain.
func (g *guarded) Put(path string, h ...fiber.Handler) fiber.Router {
	return g.Add(fiber.MethodPut, path, h...)
}

// Patch registers PATCH behind the group's chain.
func (g *guarded) Patch(path string, h ...fiber.Handler) fiber.Router {
	return g.Add(fiber.MethodPatch, path, h...)
}

// Delete registers DELETE behind the group's chain.
func (g *guarded) Delete(path string, h ...fiber.Handler) fiber.Router {
	return g.Add(fiber.MethodDelete, path, h...)
}

// Options registers OPTIONS behind the group's chain.
func (g *guarded) Options(path string, h ...fiber.Handler) fiber.Router {
	return g.Add(fiber.MethodOptions, path, h...)
}

// All registers every method behind the group's chain.
func (g *guarded) All(path string, h ...fiber.Handler) fiber.Router {
	g.Router.All(path, g.with(h)...)
	return g
}

// Group returns a sub-group under prefix with the same chain plus h.
func (g *guarded) Group(prefix string, h ...fiber.Handler) fiber.Router {
	return &guarded{Router: g.Router.Group(prefix), chain: g.with(h)}
}

// Use is refused: it would reach routes of other groups.
func (g *guarded) Use(...any) fiber.Router {
	panic("api: Use on a route group would guard other groups' routes: pass middleware to Group or to the route")
}

// Connect registers CONNECT behind the group's chain.
func (g *guarded) Connect(path string, h ...fiber.Handler) fiber.Router {
	return g.Add(fiber.MethodConnect, path, h...)
}

// Trace registers TRACE behind the group's chain.
func (g *guarded) Trace(path string, h ...fiber.Handler) fiber.Router {
	return g.Add(fiber.MethodTrace, path, h...)
}

// Route runs fn on a sub-group under prefix, keeping the chain.
func (g *guarded) Route(prefix string, fn func(fiber.Router), _ ...string) fiber.Router {
	fn(g.Group(prefix))
	return g
}

// Static is refused: files served here would bypass the chain.
func (g *guarded) Static(string, string, ...fiber.Static) fiber.Router {
	panic("api: Static on a route group bypasses its checks: serve files from the public app")
}

// Mount is refused: a mounted app would bypass the chain.
func (g *guarded) Mount(string, *fiber.App) fiber.Router {
	panic("api: Mount on a route group bypasses its checks")
}
