package cli

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// runHealthcheck probes a running server's /healthz, for container
// HEALTHCHECKs on images that ship no curl.
func runHealthcheck(ctx context.Context, env *Env, args []string) error {
	var cfg Config
	fs := newFlagSet("healthcheck", env, &cfg)
	url := fs.String("url", "http://127.0.0.1:8080/healthz", "health URL to probe")
	if err := parse(fs, args, env, &cfg); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("unhealthy: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("unhealthy: status %d", resp.StatusCode)
	}
	return nil
}
