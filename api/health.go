package api

import "github.com/gofiber/fiber/v2"

// registerHealthRoutes adds the probes a load balancer or container runtime calls.
func registerHealthRoutes(app fiber.Router, d Deps) {
	// /healthz: the process is up and serving.
	app.Get("/healthz", func(c *fiber.Ctx) error {
		return c.JSON(fiber.Map{"status": "ok", "version": d.Version})
	})
	// /readyz: the database answers and can take a write, so submissions
	// can succeed; a load balancer sends them elsewhere meanwhile.
	app.Get("/readyz", func(c *fiber.Ctx) error {
		if err := d.Store.Ping(c.UserContext()); err != nil {
			return err
		}
		if err := d.Store.CheckWritable(c.UserContext()); err != nil {
			return err
		}
		return c.JSON(fiber.Map{"status": "ready"})
	})
}
