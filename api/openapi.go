package api

import (
	_ "embed"
	"encoding/json"
	"sync"

	"github.com/goccy/go-yaml"
	"github.com/gofiber/fiber/v2"
)

// openapiYAML is the hand-written OpenAPI 3 description of /api/v1; a test
// fails when a route of the app is missing from it.
//
//go:embed openapi.yaml
var openapiYAML []byte

var openapiJSON = sync.OnceValues(func() ([]byte, error) {
	var doc any
	if err := yaml.Unmarshal(openapiYAML, &doc); err != nil {
		return nil, err
	}
	return json.Marshal(doc)
})

func registerOpenAPIRoutes(r fiber.Router) {
	r.Get("/openapi.json", func(c *fiber.Ctx) error {
		body, err := openapiJSON()
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
		return c.Send(body)
	})
}
